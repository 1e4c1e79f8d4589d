using System.Net;
using System.Text.Json;
using ApiTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace ApiTokens.Tests.Whm;

/// <summary>The small details of the token calls, each as WHM does it (issue 13, "Why", token-call line).</summary>
public sealed class WhmTokenCallDetailsTests : IAsyncLifetime
{
    private WhmTestServer _server = null!;
    private string _auth = null!;

    public async Task InitializeAsync()
    {
        _server = await WhmTestServer.StartAsync(map: app => app.MapWhmTokenApi());
        var root = _server.Accounts.Add("root", "all");
        var created = await _server.CreateTokenAsync(root, "main");
        _auth = $"whm root:{created.PlaintextToken}";
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> CallAsync(string function, params (string Name, string Value)[] form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/json-api/{function}?api.version=1")
        {
            Content = new FormUrlEncodedContent(form.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))),
        };
        request.Headers.TryAddWithoutValidation("Authorization", _auth);
        using var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static int Result(JsonElement answer) => answer.GetProperty("metadata").GetProperty("result").GetInt32();

    private static string Reason(JsonElement answer) => answer.GetProperty("metadata").GetProperty("reason").GetString()!;

    private async Task<JsonElement> ListedAsync(string name) =>
        (await CallAsync("api_token_list")).GetProperty("data").GetProperty("tokens").GetProperty(name);

    [Fact]
    public async Task CreateWithAclAll_ListsAsFullAccess_WithEveryPrivilegeTicked()
    {
        Assert.Equal(1, Result(await CallAsync("api_token_create", ("token_name", "everything"), ("acl", "all"))));

        var listed = await ListedAsync("everything");
        Assert.Equal(1, listed.GetProperty("has_full_access").GetInt32());
        var acls = listed.GetProperty("acls").EnumerateObject().ToList();
        Assert.Contains(acls, a => a.Name == "list-accts");
        Assert.All(acls, a => Assert.Equal(1, a.Value.GetInt32()));
    }

    [Fact]
    public async Task ATokenMadeWithAclAll_IsFullAccessEverywhere_AndFollowsItsOwnersPrivileges()
    {
        var owner = _server.Accounts.Add("owner", "all");
        var token = await _server.CreateTokenAsync(owner, "everything", ["all"]);

        using var whoami = await _server.GetAsync("/whoami", "owner", token.PlaintextToken);
        using var document = JsonDocument.Parse(await whoami.Content.ReadAsStringAsync());
        var claims = document.RootElement.GetProperty("claims").EnumerateArray().Select(c => (c[0].GetString(), c[1].GetString())).ToList();
        Assert.Contains((ApiTokens.Authentication.WhmClaimTypes.FullAccess, "true"), claims);

        // A full-access token holds what its owner holds now: the owner loses root access but keeps list-accts.
        _server.Accounts.Update(owner.Id, privileges: ["list-accts"]);
        await _server.Manager.AccountChangedAsync(owner.Id);
        using var listed = await _server.GetAsync("/json-api/listaccts", "owner", token.PlaintextToken);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        using var killed = await _server.GetAsync("/json-api/killacct", "owner", token.PlaintextToken);
        Assert.Equal(HttpStatusCode.Forbidden, killed.StatusCode);
    }

    [Fact]
    public async Task Ipv6WhitelistEntries_AreWrittenInFullForm()
    {
        var created = await CallAsync(
            "api_token_create", ("token_name", "v6"), ("whitelist_ip", "fc00:abcd::f"), ("whitelist_ip-1", "2001:db8::/32"), ("whitelist_ip-2", "192.0.2.10"));
        Assert.Equal(1, Result(created));
        string[] expected = ["192.0.2.10", "2001:0db8:0000:0000:0000:0000:0000:0000/32", "fc00:abcd:0000:0000:0000:0000:0000:000f"];
        Assert.Equal(expected, created.GetProperty("data").GetProperty("whitelist_ips").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(expected, (await ListedAsync("v6")).GetProperty("whitelist_ips").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("api_token_create")]
    [InlineData("api_token_update")]
    public async Task EmptyWhitelistIp_IsRefused(string function)
    {
        var answer = await CallAsync(function, ("token_name", "main"), ("whitelist_ip", ""));
        Assert.Equal(0, Result(answer));
        Assert.Equal("The “whitelist_ip” arguments cannot be empty.", Reason(answer));
        Assert.Equal(JsonValueKind.Null, (await ListedAsync("main")).GetProperty("whitelist_ips").ValueKind);
    }

    [Fact]
    public async Task RevokeWithAnEmptyTokenName_IsIgnored()
    {
        var answer = await CallAsync("api_token_revoke", ("token_name", ""));
        Assert.Equal(1, Result(answer));
        Assert.Equal("main", (await ListedAsync("main")).GetProperty("name").GetString());

        var none = await CallAsync("api_token_revoke");
        Assert.Equal(0, Result(none));
    }

    [Fact]
    public async Task UpdateWithNewNameEqualToTheCurrentName_IsAccepted()
    {
        var answer = await CallAsync("api_token_update", ("token_name", "main"), ("new_name", "main"));
        Assert.Equal(1, Result(answer));
        Assert.Equal("main", answer.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal("main", (await ListedAsync("main")).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("192.0.2.9/29", "192.0.2.8/29")]
    [InlineData("2001:db8::1/64", "2001:db8::/64")]
    public async Task CidrWithHostBits_IsRefused_NotMasked(string range, string first)
    {
        var answer = await CallAsync("api_token_create", ("token_name", "ranged"), ("whitelist_ip", range));
        Assert.Equal(0, Result(answer));
        Assert.Equal($"“{range}” has host bits set after the prefix length. Use the range’s first address: {first}.", Reason(answer));
        Assert.False((await CallAsync("api_token_list")).GetProperty("data").GetProperty("tokens").TryGetProperty("ranged", out _));
    }

    [Theory]
    [InlineData("acl-99999999999999999999")]
    [InlineData("acl-x")]
    [InlineData("acl-")]
    public async Task AclKeyWhoseNumberDoesNotParse_IsAnError_NeverFullAccess(string key)
    {
        var answer = await CallAsync("api_token_create", ("token_name", "sneaky"), (key, "list-accts"));
        Assert.Equal(0, Result(answer));
        Assert.Contains($"“{key}” is not valid", Reason(answer), StringComparison.Ordinal);
        Assert.False((await CallAsync("api_token_list")).GetProperty("data").GetProperty("tokens").TryGetProperty("sneaky", out _));

        var update = await CallAsync("api_token_update", ("token_name", "main"), ("new_name", "renamed"), (key, "list-accts"));
        Assert.Equal(0, Result(update));
    }
}
