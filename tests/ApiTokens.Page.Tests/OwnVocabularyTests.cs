using System.Net;
using ApiTokens.Page.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ApiTokens.Page.Tests;

/// <summary>
/// The page in an app with its own privilege vocabulary (<see cref="PageTestHost.OwnPrivileges"/>, not WHM's chart), and the
/// "Full access" choice: what the form offers, and what the tokens it makes can do on the app's endpoints.
/// </summary>
public sealed class OwnVocabularyTests(BrowserFixture browser) : PageTestBase(browser)
{
    private static readonly string[] CpanelAcls = WhmPrivileges.Catalogue.Select(p => p.Name).Where(n => n != WhmPrivileges.All).ToArray();

    protected override Task<PageTestHost> StartHostAsync() => PageTestHost.StartWithOwnPrivilegesAsync();

    private ILocator FullAccess => Page.GetByRole(AriaRole.Radio, new() { Name = "Full access", Exact = true });

    private ILocator SelectedPrivileges => Page.GetByRole(AriaRole.Radio, new() { Name = "Selected privileges", Exact = true });

    [SkippableFact]
    public async Task OwnCatalogue_TheFormOffersTheHostsPrivilegesTheAccountHolds_AndNoCpanelAcl()
    {
        await LogInAsync("clerk");
        await Button("Generate Token").ClickAsync();

        var values = await Page.Locator("#privilege-groups input[name='acl']").EvaluateAllAsync<string[]>("boxes => boxes.map(b => b.value)");
        Assert.Equal(["orders.read", "orders:write"], values);
        Assert.Equal(["Orders"], await Page.Locator("#privilege-groups fieldset > legend").AllInnerTextsAsync());
        await Expect(Page.Locator("#privilege-groups")).ToContainTextAsync("Create, change and cancel orders.");
        // The clerk holds manage-api-tokens (it opens the page), but that is not in the app's catalogue, so it is not offered.
        await Expect(Privilege(WhmPrivileges.ManageApiTokens)).ToHaveCountAsync(0);
        Assert.Empty(BrowserErrors);
    }

    [SkippableFact]
    public async Task OwnCatalogue_RootSeesEveryHostPrivilegeAndRootAccess_WithTheEscalationWarningWhereTheHostSetIt()
    {
        await LogInAsync("root");
        await Button("Generate Token").ClickAsync();

        var values = await Page.Locator("#privilege-groups input[name='acl']").EvaluateAllAsync<string[]>("boxes => boxes.map(b => b.value)");
        Assert.Equal(["orders.read", "orders:write", "Reports.Export", "staff.impersonate", WhmPrivileges.All], values);
        Assert.Empty(values.Intersect(CpanelAcls));
        Assert.Equal(
            ["Orders", "Reports", "Staff", WhmPrivileges.RootGroup],
            await Page.Locator("#privilege-groups fieldset > legend").AllInnerTextsAsync());
        await Expect(Privilege("staff.impersonate")).ToHaveAccessibleDescriptionAsync(WhmPrivileges.EscalationWarning);
        await Expect(Privilege("orders:write")).ToHaveAccessibleDescriptionAsync(string.Empty);
    }

    [SkippableFact]
    public async Task FullAccess_ChosenOnTheForm_MakesAFullAccessToken_ThatHoldsTheOwnersPrivileges_NowAndLater()
    {
        await LogInAsync("clerk");
        await Button("Generate Token").ClickAsync();
        await Expect(SelectedPrivileges).ToBeCheckedAsync(); // WHM's default: every box checked, deselect what you do not want
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("orders-bot");
        await FullAccess.CheckAsync();
        await Expect(Page.Locator("#privilege-groups")).ToBeHiddenAsync();
        await Expect(Page.Locator("#access-full-warning")).ToBeVisibleAsync();
        await Button("Generate").ClickAsync();

        await Expect(Page.Locator("#created-name")).ToHaveTextAsync("orders-bot");
        var token = await Page.GetByLabel("Token", new() { Exact = true }).InputValueAsync();
        await Button("Yes, I saved my token").ClickAsync();
        await Expect(Row("orders-bot")).ToContainTextAsync("Full access");

        // Exactly the owner's privileges: both of the clerk's order privileges, not the report the clerk lacks.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/api/orders", token));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/api/orders", token, HttpMethod.Post));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/api/reports", token));

        // And later ones: when the clerk is granted reports, so is the token, without editing it.
        await Host.SetPrivilegesAsync("clerk", [.. PageTestHost.ClerkPrivileges, "Reports.Export"]);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/api/reports", token));
        Assert.Empty(BrowserErrors);
    }

    [SkippableFact]
    public async Task Edit_ALimitedTokenToFullAccess_AndBackToSelectedPrivileges_TakesEffectOnTheApi()
    {
        var token = await Host.CreateTokenAsync("clerk", "reader", ["orders.read"]);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/api/orders", token, HttpMethod.Post));
        await LogInAsync("clerk");

        await Row("reader").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Expect(SelectedPrivileges).ToBeCheckedAsync();
        Assert.True(await Privilege("orders.read").IsCheckedAsync());
        Assert.False(await Privilege("orders:write").IsCheckedAsync());
        await FullAccess.CheckAsync();
        await Button("Save").ClickAsync();
        await Expect(Page.Locator("#toasts .toast")).ToContainTextAsync("You updated the API token “reader”.");
        await Expect(Row("reader")).ToContainTextAsync("Full access");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/api/orders", token, HttpMethod.Post));

        await Row("reader").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Expect(FullAccess).ToBeCheckedAsync();
        await SelectedPrivileges.CheckAsync();
        await Button("Deselect all").ClickAsync();
        await Privilege("orders:write").CheckAsync();
        await Button("Save").ClickAsync();
        await Expect(Row("reader")).ToContainTextAsync("1 privilege");
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/api/orders", token));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/api/orders", token, HttpMethod.Post));
        Assert.Empty(BrowserErrors);
    }

    [SkippableFact]
    public async Task SelectedPrivileges_WithNoneChecked_StillSaysChooseOne_FullAccessNeedsNoBox()
    {
        await LogInAsync("clerk");
        await Button("Generate Token").ClickAsync();
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("nothing-yet");
        await Button("Deselect all").ClickAsync();
        await Button("Generate").ClickAsync();
        await Expect(Page.Locator("#privileges-error")).ToHaveTextAsync(ApiTokenErrors.NoPrivileges.Message);

        await FullAccess.CheckAsync();
        await Button("Generate").ClickAsync();
        await Expect(Page.Locator("#created-name")).ToHaveTextAsync("nothing-yet");
    }

    private async Task<HttpStatusCode> StatusAsync(string path, string token, HttpMethod? method = null)
    {
        using var response = await Host.CallWithTokenAsync(path, "clerk", token, method);
        return response.StatusCode;
    }
}
