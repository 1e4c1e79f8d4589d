using System.Net;
using System.Text.Json;
using ApiTokens.Page.Tests.Infrastructure;

namespace ApiTokens.Page.Tests;

/// <summary>
/// The page's JSON endpoints in an app with its own privilege vocabulary, over HTTP (these run on every machine): the session
/// offers only the host's names, tokens are limited to them exactly (case kept), and an update can grant full access.
/// </summary>
public sealed class OwnVocabularyEndpointTests : IAsyncLifetime
{
    private PageTestHost _host = null!;

    public async Task InitializeAsync() => _host = await PageTestHost.StartWithOwnPrivilegesAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Session_OffersOnlyTheHostsPrivileges_GroupedAsTheHostGroupedThem()
    {
        using var clerk = await SignedInAsync("clerk");
        var groups = (await clerk.SessionAsync()).GetProperty("privilege_groups");
        Assert.Equal(["Orders"], groups.EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Equal(["orders.read", "orders:write"], Names(groups));

        using var root = await SignedInAsync("root");
        var rootGroups = (await root.SessionAsync()).GetProperty("privilege_groups");
        Assert.Equal(["orders.read", "orders:write", "Reports.Export", "staff.impersonate", "all"], Names(rootGroups));
        var impersonate = rootGroups.EnumerateArray().SelectMany(g => g.GetProperty("privileges").EnumerateArray())
            .Single(p => p.GetProperty("name").GetString() == "staff.impersonate");
        Assert.True(impersonate.GetProperty("escalates").GetBoolean());
    }

    [Fact]
    public async Task Create_WithAHostPrivilege_IsLimitedToIt_AndTheNameIsComparedExactly()
    {
        using var clerk = await SignedInAsync("clerk");
        await clerk.SessionAsync();

        using var wrongCase = await clerk.SendAsync(HttpMethod.Post, "/tokens/api/tokens", new { name = "shouty", acls = new[] { "Orders.Read" } }, antiforgery: true);
        Assert.Equal(HttpStatusCode.BadRequest, wrongCase.StatusCode);
        Assert.Contains("Invalid or unauthorized ACL(s) specified: Orders.Read.", await wrongCase.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var cpanel = await clerk.SendAsync(HttpMethod.Post, "/tokens/api/tokens", new { name = "whm-ish", acls = new[] { "list-accts" } }, antiforgery: true);
        Assert.Equal(HttpStatusCode.BadRequest, cpanel.StatusCode);

        using var created = await clerk.SendAsync(HttpMethod.Post, "/tokens/api/tokens", new { name = "reader", acls = new[] { "orders.read" } }, antiforgery: true);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await JsonAsync(created);
        var token = body.GetProperty("token").GetString()!;
        Assert.Equal(["orders.read"], body.GetProperty("created").GetProperty("acls").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/api/orders", token));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/api/orders", token, HttpMethod.Post));
    }

    [Fact]
    public async Task Create_WithoutAcls_IsAFullAccessToken()
    {
        using var clerk = await SignedInAsync("clerk");
        await clerk.SessionAsync();
        using var created = await clerk.SendAsync(HttpMethod.Post, "/tokens/api/tokens", new { name = "everything", acls = (string[]?)null }, antiforgery: true);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = (await JsonAsync(created)).GetProperty("created");
        Assert.True(view.GetProperty("has_full_access").GetBoolean());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("acls").ValueKind);
    }

    [Fact]
    public async Task Update_GrantFullAccess_MakesTheTokenFullAccess_AndWithAclsToo_IsA400ThatChangesNothing()
    {
        var token = await _host.CreateTokenAsync("clerk", "reader", ["orders.read"]);
        using var clerk = await SignedInAsync("clerk");
        await clerk.SessionAsync();

        using var both = await clerk.SendAsync(
            HttpMethod.Put, "/tokens/api/tokens/reader", new { grant_full_access = true, acls = new[] { "orders.read" } }, antiforgery: true);
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Equal("full_access_with_acls", (await JsonAsync(both)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/api/orders", token, HttpMethod.Post));

        using var full = await clerk.SendAsync(HttpMethod.Put, "/tokens/api/tokens/reader", new { grant_full_access = true }, antiforgery: true);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        var view = await JsonAsync(full);
        Assert.True(view.GetProperty("has_full_access").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/api/orders", token, HttpMethod.Post));
    }

    private async Task<HttpStatusCode> StatusAsync(string path, string token, HttpMethod? method = null)
    {
        using var response = await _host.CallWithTokenAsync(path, "clerk", token, method);
        return response.StatusCode;
    }

    private static IEnumerable<string?> Names(JsonElement groups) =>
        groups.EnumerateArray().SelectMany(g => g.GetProperty("privileges").EnumerateArray()).Select(p => p.GetProperty("name").GetString()).ToArray();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    private async Task<PageHttpClient> SignedInAsync(string user)
    {
        var client = new PageHttpClient(_host);
        await client.LogInAsync(user);
        return client;
    }
}
