using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace ApiTokens.Tests.Whm;

/// <summary>The WHM token calls in an app with its own privilege vocabulary: they offer, accept and list only the host's names.</summary>
public sealed class WhmOwnVocabularyTests : IAsyncLifetime
{
    private ApiTokensTestHost _server = null!;
    private string _rootAuth = null!;
    private string _clerkAuth = null!;

    public async Task InitializeAsync()
    {
        _server = await new ApiTokensTestHostBuilder()
            .ConfigureOptions(o =>
            {
                o.Privileges.Add(new("orders.read", "Orders", "See orders."));
                o.Privileges.Add(new("orders:write", "Orders", "Change orders."));
                o.Privileges.Add(new("Reports.Export", "Reports", "Export reports."));
            })
            .ConfigureApp(app =>
            {
                app.MapWhmTokenApi();
                app.MapGet("/orders", () => "orders").RequirePrivilege("orders.read");
            })
            .StartAsync();
        var root = _server.Accounts.Add("root", "all");
        var clerk = _server.Accounts.Add("clerk", "orders.read", "orders:write", WhmPrivileges.ManageApiTokens);
        _rootAuth = $"whm root:{(await _server.CreateTokenAsync(root, "main")).PlaintextToken}";
        _clerkAuth = $"whm clerk:{(await _server.CreateTokenAsync(clerk, "main")).PlaintextToken}";
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Create_WithAHostPrivilege_IsAccepted_AndTheTokenHoldsExactlyIt()
    {
        var data = Data(await CallAsync(_clerkAuth, "api_token_create?token_name=reader&acl=orders.read"));
        Assert.Equal(["orders.read"], data.GetProperty("acls").EnumerateArray().Select(a => a.GetString()));

        var token = data.GetProperty("token").GetString()!;
        using var response = await _server.GetAsync("/orders", $"whm clerk:{token}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("list-accts")]   // a cPanel ACL: not in this app's catalogue
    [InlineData("Orders.Read")]  // the host's name in another case: names are compared exactly
    [InlineData("Reports.Export")] // in the catalogue, but the clerk does not hold it
    public async Task Create_WithANameOutsideTheCatalogueOrNotHeld_IsRefusedWithWhmsMessage(string acl)
    {
        var body = await CallAsync(_clerkAuth, $"api_token_create?token_name=nope&acl=orders.read&acl-1={Uri.EscapeDataString(acl)}");
        Assert.Equal(0, Metadata(body).GetProperty("result").GetInt32());
        Assert.Equal(
            $"Invalid or unauthorized ACL(s) specified: {acl}. Choose only privileges that your account holds.",
            Metadata(body).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task List_AclsMap_ListsOnlyTheHostsNamesTheCallerCanGrant()
    {
        await CallAsync(_clerkAuth, "api_token_create?token_name=writer&acl=orders:write");
        var tokens = Data(await CallAsync(_clerkAuth, "api_token_list")).GetProperty("tokens");
        var writer = tokens.GetProperty("writer").GetProperty("acls");
        Assert.Equal(
            [("orders.read", 0), ("orders:write", 1)],
            writer.EnumerateObject().Select(p => (p.Name, p.Value.GetInt32())));
        // A full-access token maps every grantable privilege to 1; manage-api-tokens is held but not in the catalogue.
        Assert.Equal(["orders.read", "orders:write"], tokens.GetProperty("main").GetProperty("acls").EnumerateObject().Select(p => p.Name));

        var rootMap = Data(await CallAsync(_rootAuth, "api_token_list")).GetProperty("tokens").GetProperty("main").GetProperty("acls");
        Assert.Equal(["orders.read", "orders:write", "Reports.Export", "all"], rootMap.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task UpdateAndGetDetails_UseTheHostsNames()
    {
        var token = Data(await CallAsync(_clerkAuth, "api_token_create?token_name=t&acl=orders.read")).GetProperty("token").GetString()!;

        var refused = await CallAsync(_clerkAuth, "api_token_update?token_name=t&acl=kill-acct");
        Assert.Contains("Invalid or unauthorized ACL(s) specified: kill-acct", Metadata(refused).GetProperty("reason").GetString(), StringComparison.Ordinal);

        var updated = Data(await CallAsync(_clerkAuth, "api_token_update?token_name=t&acl=orders:write&acl-1=orders.read"));
        Assert.Equal(["orders.read", "orders:write"], updated.GetProperty("acls").EnumerateArray().Select(a => a.GetString()));

        var details = Data(await CallAsync(_clerkAuth, $"api_token_get_details?token={token}"));
        Assert.Equal(["orders.read", "orders:write"], details.GetProperty("acls").EnumerateArray().Select(a => a.GetString()));
    }

    private static JsonElement Metadata(JsonElement body) => body.GetProperty("metadata");

    private static JsonElement Data(JsonElement body)
    {
        Assert.Equal(1, Metadata(body).GetProperty("result").GetInt32());
        return body.GetProperty("data");
    }

    private async Task<JsonElement> CallAsync(string authorization, string call)
    {
        using var response = await _server.GetAsync($"/json-api/{call}", authorization);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }
}
