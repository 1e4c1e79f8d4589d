using System.Net;
using System.Text.RegularExpressions;
using ApiTokens.Page.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ApiTokens.Page.Tests;

/// <summary>Generate, list, search, edit and revoke in the browser; every change checked against the API with curl-style calls.</summary>
public sealed partial class TokenLifecycleTests(BrowserFixture browser) : PageTestBase(browser)
{
    [SkippableFact]
    public async Task Generate_ShowsTheTokenOnce_AndItAuthenticatesWithOnlyTheChosenPrivileges()
    {
        await LogInAsync("root");
        await Expect(Page.Locator("#list-empty")).ToBeVisibleAsync();

        await Button("Generate Token").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Generate API Token" })).ToBeVisibleAsync();
        Assert.True(await Privilege("list-accts").IsCheckedAsync()); // all checked at first
        Assert.True(await Privilege("all").IsCheckedAsync());
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("deploy-bot");
        await Button("Deselect all").ClickAsync();
        await Privilege("list-accts").CheckAsync();
        await Button("Generate").ClickAsync();

        await Expect(Page.Locator("#created-name")).ToHaveTextAsync("deploy-bot");
        var token = await Page.GetByLabel("Token", new() { Exact = true }).InputValueAsync();
        Assert.Matches("^[0-9A-Z]{32}$", token);
        await Expect(Page.GetByText("You cannot access the token after you navigate away")).ToBeVisibleAsync();
        await Expect(Button("Copy")).ToBeVisibleAsync();

        // The token works right away, with exactly the privilege it was given.
        using (var ok = await Host.CallWithTokenAsync("/json-api/listaccts", "root", token))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var forbidden = await Host.CallWithTokenAsync("/json-api/dumpzone", "root", token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        await Button("Yes, I saved my token").ClickAsync();
        await Expect(Row("deploy-bot")).ToBeVisibleAsync();
        await Expect(Row("deploy-bot").Locator("td.created")).ToHaveTextAsync(CreatedFormat());
        await Expect(Row("deploy-bot")).ToContainTextAsync("1 privilege");
        Assert.DoesNotContain(token, await Page.ContentAsync(), StringComparison.Ordinal);

        // Refreshing never brings the token back.
        await Page.ReloadAsync();
        await Page.Locator("body[data-ready='true']").WaitForAsync();
        await Expect(Row("deploy-bot")).ToBeVisibleAsync();
        Assert.DoesNotContain(token, await Page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(BrowserErrors);
    }

    [SkippableFact]
    public async Task Search_FiltersTheListByNameAsYouType()
    {
        await Host.CreateTokenAsync("root", "alpha-one", ["list-accts"]);
        await Host.CreateTokenAsync("root", "Alpha_two", ["list-accts"]);
        await Host.CreateTokenAsync("root", "beta");
        await LogInAsync("root");
        await Expect(Rows).ToHaveCountAsync(3);

        var search = Page.GetByLabel("Search");
        await search.PressSequentiallyAsync("alp");
        await Expect(Rows).ToHaveCountAsync(2);
        await Expect(Row("beta")).ToHaveCountAsync(0);

        await search.FillAsync("BETA");
        await Expect(Rows).ToHaveCountAsync(1);
        await Expect(Row("beta")).ToBeVisibleAsync();

        await search.FillAsync("nothing-like-this");
        await Expect(Rows).ToHaveCountAsync(0);
        await Expect(Page.GetByText("No API token name matches your search.")).ToBeVisibleAsync();

        await search.FillAsync(string.Empty);
        await Expect(Rows).ToHaveCountAsync(3);
    }

    [SkippableFact]
    public async Task List_MarksFullAccess_HighlightsTokensExpiringWithinTheExpiryWarningAsExpiresSoon_AndExpiredOnes()
    {
        var now = Host.Time.GetUtcNow();
        await Host.CreateTokenAsync("root", "full");
        await Host.CreateTokenAsync("root", "soon", ["list-accts"], now.AddHours(3));
        await Host.CreateTokenAsync("root", "in-5-days", ["list-accts"], now.AddDays(5));
        await Host.CreateTokenAsync("root", "later", ["list-accts"], now.AddDays(10));
        await Host.CreateTokenAsync("root", "gone", ["list-accts"], now.AddMinutes(30));
        Host.Time.Advance(TimeSpan.FromHours(1)); // "gone" has expired; "soon" and "in-5-days" are within the default 7 days

        await LogInAsync("root");
        await Expect(Row("full")).ToContainTextAsync("Full access");
        await Expect(Row("full").Locator("td.expires")).ToHaveTextAsync("Never");
        foreach (var name in new[] { "soon", "in-5-days" })
        {
            await Expect(Row(name)).ToHaveClassAsync(new Regex("expiring"));
            await Expect(Row(name).Locator("td.expires").GetByText("Expires soon", new() { Exact = true })).ToBeVisibleAsync();
        }

        await Expect(Row("gone")).ToContainTextAsync("Expired");
        await Expect(Row("gone")).ToHaveClassAsync(new Regex("expired"));
        await Expect(Row("gone")).Not.ToContainTextAsync("Expires soon");
        await Expect(Row("later").Locator("td.expires")).ToHaveTextAsync(CreatedFormat());
        await Expect(Row("later")).Not.ToHaveClassAsync(new Regex("expir"));
    }

    [SkippableFact]
    public async Task Edit_RenameAndPrivileges_TakeEffectOnTheApi_WithSuccessMessageUpperRight()
    {
        var token = await Host.CreateTokenAsync("root", "ci-token", ["list-accts"]);
        using (var before = await Host.CallWithTokenAsync("/json-api/listaccts", "root", token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await LogInAsync("root");
        await Row("ci-token").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Edit API Token" })).ToBeVisibleAsync();
        await Expect(Page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("ci-token");
        Assert.True(await Privilege("list-accts").IsCheckedAsync());
        Assert.False(await Privilege("edit-dns").IsCheckedAsync());

        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("dns-token");
        await Privilege("list-accts").UncheckAsync();
        await Privilege("edit-dns").CheckAsync();
        await Button("Save").ClickAsync();

        var toast = Page.Locator("#toasts .toast");
        await Expect(toast).ToContainTextAsync("You updated the API token “dns-token”.");
        var box = await toast.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X > 1280 / 2 && box.Y < 900 / 4, $"The success message is at ({box.X}, {box.Y}), not in the upper-right corner.");
        await Expect(Row("dns-token")).ToBeVisibleAsync();
        await Expect(Row("ci-token")).ToHaveCountAsync(0);

        using (var lost = await Host.CallWithTokenAsync("/json-api/listaccts", "root", token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, lost.StatusCode);
        }

        using (var gained = await Host.CallWithTokenAsync("/json-api/dumpzone", "root", token))
        {
            Assert.Equal(HttpStatusCode.OK, gained.StatusCode);
        }

        Assert.Equal(["dns-token"], await Host.TokenNamesAsync("root"));
    }

    [SkippableFact]
    public async Task Revoke_AsksForConfirmation_ThenContinueRevokes_AndTheTokenStopsWorking()
    {
        var token = await Host.CreateTokenAsync("root", "old-script", ["list-accts"]);
        await Host.CreateTokenAsync("root", "keeper", ["list-accts"]);
        await LogInAsync("root");

        await Row("old-script").GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync("Revoke the API token “old-script”?");
        await Expect(dialog).ToContainTextAsync("any script or account that uses that API token will no longer function");

        // Cancel keeps it.
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(Row("old-script")).ToBeVisibleAsync();
        using (var still = await Host.CallWithTokenAsync("/json-api/listaccts", "root", token))
        {
            Assert.Equal(HttpStatusCode.OK, still.StatusCode);
        }

        await Row("old-script").GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(Page.Locator("#toasts .toast")).ToContainTextAsync("You revoked the API token “old-script”.");
        await Expect(Row("old-script")).ToHaveCountAsync(0);
        await Expect(Row("keeper")).ToBeVisibleAsync();

        using var revoked = await Host.CallWithTokenAsync("/json-api/listaccts", "root", token);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Equal(["keeper"], await Host.TokenNamesAsync("root"));
    }

    [SkippableFact]
    public async Task RevokeAll_FromTheGearMenu_AfterConfirmation_RevokesEveryToken()
    {
        var tokens = new[]
        {
            await Host.CreateTokenAsync("root", "one", ["list-accts"]),
            await Host.CreateTokenAsync("root", "two"),
            await Host.CreateTokenAsync("root", "three", ["edit-dns"]),
        };
        await LogInAsync("root");
        await Expect(Rows).ToHaveCountAsync(3);

        await Button("List options").ClickAsync();
        await Page.GetByRole(AriaRole.Menuitem, new() { Name = "Revoke All" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Revoke all of your API tokens (3)?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await Expect(Page.Locator("#toasts .toast")).ToContainTextAsync("You revoked all of your API tokens (3).");
        await Expect(Rows).ToHaveCountAsync(0);
        await Expect(Page.Locator("#list-empty")).ToBeVisibleAsync();
        Assert.Empty(await Host.TokenNamesAsync("root"));
        foreach (var token in tokens)
        {
            using var response = await Host.CallWithTokenAsync("/json-api/dumpzone", "root", token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [SkippableFact]
    public async Task RefreshList_FromTheGearMenu_ShowsTokensCreatedElsewhere_AndTheMenuWorksWithTheKeyboard()
    {
        await LogInAsync("root");
        await Expect(Rows).ToHaveCountAsync(0);
        await Host.CreateTokenAsync("root", "from-a-script", ["list-accts"]);

        await Page.Locator("#gear-button").FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByRole(AriaRole.Menuitem, new() { Name = "Refresh List" })).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("ArrowDown");
        await Expect(Page.GetByRole(AriaRole.Menuitem, new() { Name = "Revoke All" })).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Escape");
        await Expect(Page.Locator("#gear-menu")).ToBeHiddenAsync();
        await Expect(Page.Locator("#gear-button")).ToBeFocusedAsync();

        await Page.Keyboard.PressAsync("Enter");
        await Page.Keyboard.PressAsync("Enter"); // Refresh List
        await Expect(Row("from-a-script")).ToBeVisibleAsync();
    }

    [SkippableFact]
    public async Task History_IsNotOffered_WithoutAnAuditStore()
    {
        await LogInAsync("root");
        await Expect(Button("Generate Token")).ToBeEnabledAsync();
        await Expect(Page.Locator("#history-button")).ToHaveCountAsync(1);
        await Expect(Page.Locator("#history-button")).ToBeHiddenAsync();
    }

    private static Regex CreatedFormat() => CreatedFormatRegex();

    [GeneratedRegex(@"^\d{2} \d{2} \d{4} \d{2}:\d{2}:\d{2}")]
    private static partial Regex CreatedFormatRegex();
}
