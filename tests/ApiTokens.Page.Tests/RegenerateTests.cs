using System.Globalization;
using System.Net;
using ApiTokens.Page.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ApiTokens.Page.Tests;

/// <summary>"Regenerate" in the browser: the grace-period choice, the new token shown once as on creation, and what the API then accepts.</summary>
public sealed class RegenerateTests(BrowserFixture browser) : PageTestBase(browser)
{
    [SkippableFact]
    public async Task Regenerate_AsksForTheGracePeriod_ShowsTheNewTokenOnce_ItAuthenticates_AndTheOldOneWorksUntilTheGraceEnds()
    {
        var old = await Host.CreateTokenAsync("root", "deploy-bot", ["list-accts"]);
        await LogInAsync("root");

        await RegenerateButton("deploy-bot").ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Heading, new() { Name = "Regenerate API Token" })).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync("Give the API token “deploy-bot” a new value?");
        var grace = dialog.GetByLabel("Grace period for the old token");
        await Expect(grace).ToHaveValueAsync("0"); // "Stop at once" is the default
        Assert.Equal(["Stop at once", "1 hour", "1 day", "7 days"], await grace.Locator("option").AllTextContentsAsync());

        // Cancel changes nothing.
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(old));

        await RegenerateButton("deploy-bot").ClickAsync();
        await grace.SelectOptionAsync(new SelectOptionValue { Label = "1 hour" });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Regenerate" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Your Regenerated API Token" })).ToBeVisibleAsync();
        await Expect(Page.Locator("#created-name")).ToHaveTextAsync("deploy-bot");
        var token = await Page.GetByLabel("Token", new() { Exact = true }).InputValueAsync();
        Assert.Matches("^[0-9A-Z]{32}$", token);
        Assert.NotEqual(old, token);
        var until = Host.Time.GetUtcNow().AddHours(1).ToString("MM dd yyyy HH:mm:ss", CultureInfo.InvariantCulture); // the browser runs in UTC
        await Expect(Page.Locator("#created-previous")).ToHaveTextAsync($"The old token keeps working until {until}. Give your scripts the new token before then.");
        await Expect(Page.GetByText("You cannot access the token after you navigate away")).ToBeVisibleAsync();
        await Expect(Button("Copy")).ToBeVisibleAsync();
        await Expect(Page.Locator("#toasts .toast")).ToContainTextAsync("You regenerated the API token “deploy-bot”.");

        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(token));
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(old)); // within the hour

        await Button("Yes, I saved my token").ClickAsync();
        await Expect(Row("deploy-bot")).ToBeVisibleAsync();
        Assert.DoesNotContain(token, await Page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(["deploy-bot"], await Host.TokenNamesAsync("root"));

        Host.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(old));
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(token));
        Assert.Empty(BrowserErrors);
    }

    [SkippableFact]
    public async Task Regenerate_WithStopAtOnce_TheOldTokenStopsAtOnce_AndThePanelSaysSo()
    {
        var old = await Host.CreateTokenAsync("root", "ci", ["list-accts"]);
        await LogInAsync("root");

        await RegenerateButton("ci").ClickAsync();
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Regenerate" }).ClickAsync();

        await Expect(Page.Locator("#created-previous")).ToHaveTextAsync("The old token has stopped working. Give your scripts the new token.");
        var token = await Page.GetByLabel("Token", new() { Exact = true }).InputValueAsync();
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(token));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(old));

        // A token generated afterwards gets the plain "new token" panel again.
        await Button("Yes, I saved my token").ClickAsync();
        await Button("Generate Token").ClickAsync();
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("another");
        await Button("Generate").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Your New API Token" })).ToBeVisibleAsync();
        await Expect(Page.Locator("#created-previous")).ToBeHiddenAsync();
    }

    [SkippableFact]
    public async Task Regenerate_AnExpiredToken_ShowsTheServersMessage_LikeTheOtherActions_AndChangesNothing()
    {
        await Host.CreateTokenAsync("root", "gone", ["list-accts"], Host.Time.GetUtcNow().AddMinutes(5));
        Host.Time.Advance(TimeSpan.FromMinutes(10));
        await LogInAsync("root");

        await RegenerateButton("gone").ClickAsync();
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Regenerate" }).ClickAsync();

        await Expect(Page.Locator("#toasts .toast-error")).ToContainTextAsync("has expired, so it cannot be regenerated. Create a new token instead.");
        await Expect(Page.Locator("#list-view")).ToBeVisibleAsync();
        await Expect(Page.Locator("#created-view")).ToBeHiddenAsync();
        await Expect(Row("gone")).ToBeVisibleAsync();
    }

    private ILocator RegenerateButton(string name) => Row(name).GetByRole(AriaRole.Button, new() { Name = "Regenerate" });

    private async Task<HttpStatusCode> StatusWithAsync(string token)
    {
        using var response = await Host.CallWithTokenAsync("/json-api/listaccts", "root", token);
        return response.StatusCode;
    }
}
