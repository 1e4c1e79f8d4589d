using System.Net;
using System.Text.Json;
using ApiTokens.Page.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ApiTokens.Page.Tests;

/// <summary>The form's rules, the server's errors next to their fields, who may use the page, and CSRF protection.</summary>
public sealed class FormRulesTests(BrowserFixture browser) : PageTestBase(browser)
{
    [SkippableFact]
    public async Task Name_IsCheckedAsYouType_WithTheReason_AndABadNameIsNeverSent()
    {
        await LogInAsync("root");
        await Button("Generate Token").ClickAsync();
        var name = Page.GetByLabel("Name", new() { Exact = true });
        var error = Page.Locator("#name-error");

        await name.PressSequentiallyAsync("my token!");
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).ToContainTextAsync("The name cannot contain spaces, “!”.");
        await Expect(name).ToHaveAttributeAsync("aria-invalid", "true");

        await name.FillAsync(new string('a', 51));
        await Expect(error).ToContainTextAsync("The name is 51 characters long. Use at most 50 characters.");

        await Button("Generate").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Generate API Token" })).ToBeVisibleAsync();
        await Expect(name).ToBeFocusedAsync();
        Assert.Empty(await Host.TokenNamesAsync("root"));

        await name.FillAsync(new string('a', 50));
        await Expect(error).ToBeHiddenAsync();
        await name.FillAsync("Ok_name-1");
        await Expect(error).ToBeHiddenAsync();
        await Button("Generate").ClickAsync();
        await Expect(Page.Locator("#created-name")).ToHaveTextAsync("Ok_name-1");
    }

    [SkippableFact]
    public async Task NoPrivilegeChecked_ShowsTheSeedMessageNextToPrivileges_AndCreatesNothing()
    {
        await LogInAsync("root");
        await Button("Generate Token").ClickAsync();
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("empty");
        await Button("Deselect all").ClickAsync();
        await Button("Generate").ClickAsync();

        var error = Page.Locator("#privileges-field #privileges-error");
        await Expect(error).ToHaveTextAsync("You must assign at least one ACL privilege to the token.");
        Assert.Empty(await Host.TokenNamesAsync("root"));

        await Privilege("list-accts").CheckAsync();
        await Expect(error).ToBeHiddenAsync();
        await Button("Generate").ClickAsync();
        await Expect(Page.Locator("#created-name")).ToHaveTextAsync("empty");
    }

    [SkippableFact]
    public async Task DuplicateName_FromTheServer_IsShownNextToTheNameField()
    {
        await LogInAsync("root");
        await Button("Generate Token").ClickAsync();
        await Host.CreateTokenAsync("root", "taken"); // another tab or a script got there first
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("taken");
        await Button("Generate").ClickAsync();

        var error = Page.Locator("#name-error");
        await Expect(error).ToHaveTextAsync("A conflicting API token with the name “taken” already exists. Choose another name.");
        await Expect(Page.GetByLabel("Name", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Page.GetByLabel("Name", new() { Exact = true })).ToBeFocusedAsync();
        Assert.Equal(["taken"], await Host.TokenNamesAsync("root"));
    }

    [SkippableFact]
    public async Task UnauthorizedPrivilege_FromTheServer_IsShownNextToPrivileges()
    {
        await LogInAsync("reseller");
        await Button("Generate Token").ClickAsync();
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("lost-right");

        // Between opening the form and Generate, the administrator takes edit-dns away from the reseller.
        var reseller = (await Host.Accounts.FindByUserNameAsync("reseller", default))!;
        Host.Accounts.Update(reseller.Id, privileges: PageTestHost.ResellerPrivileges.Where(p => p != "edit-dns"));
        await Button("Generate").ClickAsync();

        await Expect(Page.Locator("#privileges-error")).ToContainTextAsync("Invalid or unauthorized ACL(s) specified: edit-dns.");
        Assert.Empty(await Host.TokenNamesAsync("reseller"));
    }

    [SkippableFact]
    public async Task Reseller_SeesOnlyTheirPrivileges_GroupedAsWhm_AllChecked_WithTheEscalationWarningOnTheFour()
    {
        await LogInAsync("reseller");
        await Button("Generate Token").ClickAsync();

        var boxes = Page.Locator("#privilege-groups input[name='acl']");
        await Expect(boxes).ToHaveCountAsync(PageTestHost.ResellerPrivileges.Length);
        foreach (var box in await boxes.AllAsync())
        {
            Assert.True(await box.IsCheckedAsync());
        }

        await Expect(Privilege("all")).ToHaveCountAsync(0);
        await Expect(Privilege("kill-acct")).ToHaveCountAsync(0);
        var legends = await Page.Locator("#privilege-groups fieldset > legend").AllInnerTextsAsync();
        Assert.Equal(["Basic", "Standard: account information", "Standard: DNS"], legends);

        foreach (var escalating in new[] { "cpanel-api", "create-user-session", "manage-api-tokens" })
        {
            await Expect(Privilege(escalating)).ToHaveAccessibleDescriptionAsync(WhmPrivileges.EscalationWarning);
        }

        await Expect(Privilege("list-accts")).ToHaveAccessibleDescriptionAsync(string.Empty);
        await Expect(Page.GetByText(WhmPrivileges.EscalationWarning)).ToHaveCountAsync(3);
    }

    [SkippableFact]
    public async Task UserWithoutManageApiTokens_GetsTheNotAllowedPage_AndTheApiRefusesThem()
    {
        await LogInAsync("viewer", expectAllowed: false);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "You are not allowed to manage API tokens" })).ToBeVisibleAsync();
        await Expect(Page.Locator("#not-allowed-reason")).ToContainTextAsync("does not have the Manage API Tokens privilege (manage-api-tokens)");
        await Expect(Button("Generate Token")).ToHaveCountAsync(0);

        var page = await Page.APIRequest.GetAsync(Host.Url("/tokens"));
        Assert.Equal(403, page.Status);
        var api = await Page.APIRequest.GetAsync(Host.Url("/tokens/api/tokens"));
        Assert.Equal(403, api.Status);
        Assert.Contains("not_allowed", await api.TextAsync(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task CookieCallWithoutTheAntiforgeryToken_IsRefused_AndCreatesNothing()
    {
        await LogInAsync("root");
        var status = await Page.EvaluateAsync<int>(
            """
            async () => (await fetch('/tokens/api/tokens', {
              method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ name: 'csrf', acls: ['list-accts'] }) })).status
            """);
        Assert.Equal(400, status);
        Assert.Empty(await Host.TokenNamesAsync("root"));
    }

    [SkippableFact]
    public async Task NotSignedIn_PageRedirectsToLogin_AndTheApiAnswers401()
    {
        SkipWithoutBrowser();
        var response = await Page.GotoAsync(Host.Url("/tokens"));
        Assert.Contains("/login?ReturnUrl=%2Ftokens", Page.Url, StringComparison.Ordinal);
        Assert.Equal(200, response!.Status);
        var api = await Page.APIRequest.GetAsync(Host.Url("/tokens/api/tokens"));
        Assert.Equal(401, api.Status);
    }

    [SkippableFact]
    public async Task NarrowScreen_HasNoSidewaysScrolling_AndKeepsEveryControlReachable()
    {
        SkipWithoutBrowser(); // Page is only there with a browser
        await Host.CreateTokenAsync("root", "a-rather-long-token-name-for-a-narrow-phone-screen", ["list-accts"]);
        await Page.SetViewportSizeAsync(360, 740);
        await LogInAsync("root");

        await Expect(Row("a-rather-long-token-name-for-a-narrow-phone-screen")).ToBeVisibleAsync();
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "The list scrolls sideways on a 360px-wide screen.");
        await Expect(Button("List options")).ToBeVisibleAsync();
        await Expect(Row("a-rather-long-token-name-for-a-narrow-phone-screen").GetByRole(AriaRole.Button, new() { Name = "Revoke" })).ToBeVisibleAsync();

        await Button("Generate Token").ClickAsync();
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "The Generate API Token form scrolls sideways on a 360px-wide screen.");
        await Expect(Button("Generate")).ToBeVisibleAsync();
        Assert.Empty(BrowserErrors);
    }
}
