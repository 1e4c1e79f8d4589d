using System.Net;
using System.Text.Json;

namespace WhmAdmin.Tests;

public sealed class TokenApiEndToEndTests : IAsyncLifetime
{
    private SampleHost _host = null!;
    private string _root = null!;
    private string _reseller = null!;

    public async Task InitializeAsync()
    {
        _host = await SampleHost.StartAsync();
        _root = await _host.CreateTokenWithCliAsync("root", "bootstrap");
        _reseller = await _host.CreateTokenWithCliAsync("reseller", "reseller-main");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static int Result(JsonElement e) => e.GetProperty("metadata").GetProperty("result").GetInt32();

    private static string Reason(JsonElement e) => e.GetProperty("metadata").GetProperty("reason").GetString()!;

    [Fact]
    public async Task Healthz_IsAnonymous()
    {
        using var response = await _host.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CliToken_AuthenticatesAProtectedCall()
    {
        using var response = await _host.SendAsync(HttpMethod.Get, "/json-api/version?api.version=1", "root", _root);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"result\":1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_WithAclTheResellerLacks_ExitsNonZeroWithTheReason()
    {
        var (code, stdout, stderr) = await _host.CliAsync("tokens", "create", "--user", "reseller", "--name", "x", "--acl", "kill-acct");
        Assert.NotEqual(0, code);
        Assert.Contains("Invalid or unauthorized ACL(s) specified: kill-acct", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("kill-acct", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_DuplicateName_UnknownUser_AndBadExpiry_ExitNonZero()
    {
        var duplicate = await _host.CliAsync("tokens", "create", "--user", "root", "--name", "bootstrap");
        Assert.NotEqual(0, duplicate.ExitCode);
        Assert.Contains("A conflicting API token with the name “bootstrap” already exists", duplicate.StdErr, StringComparison.Ordinal);

        var unknown = await _host.CliAsync("tokens", "create", "--user", "nobody", "--name", "x");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("“nobody” does not exist", unknown.StdErr, StringComparison.Ordinal);

        var badExpiry = await _host.CliAsync("tokens", "create", "--user", "root", "--name", "x", "--expires-at", "soon");
        Assert.NotEqual(0, badExpiry.ExitCode);
        Assert.Contains("--expires-at", badExpiry.StdErr, StringComparison.Ordinal);

        var past = await _host.CliAsync("tokens", "create", "--user", "root", "--name", "x", "--expires-at", "1000");
        Assert.NotEqual(0, past.ExitCode);
        Assert.Contains("must be a future date", past.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_ListAndRevoke()
    {
        var list = await _host.CliAsync("tokens", "list", "--user", "root");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("bootstrap", list.StdOut, StringComparison.Ordinal);

        var revoke = await _host.CliAsync("tokens", "revoke", "--user", "reseller", "--name", "reseller-main");
        Assert.Equal(0, revoke.ExitCode);
        await _host.AssertRefusedAsync("reseller", _reseller, "/json-api/listaccts");

        var again = await _host.CliAsync("tokens", "revoke", "--user", "reseller", "--name", "reseller-main");
        Assert.NotEqual(0, again.ExitCode);
    }

    [Fact]
    public async Task Create_ReturnsThePlaintextOnce_AndTheNewTokenWorks()
    {
        var created = await _host.CallAsync("api_token_create", "root", _root,
            ("token_name", "deploy"), ("acl", "list-accts"), ("acl-1", "create-acct"), ("whitelist_ip", "127.0.0.1"), ("api.version", "1"));
        Assert.Equal(1, Result(created));
        var data = created.GetProperty("data");
        Assert.Equal("deploy", data.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("expires_at").ValueKind);
        Assert.True(data.GetProperty("create_time").GetInt64() > 1_700_000_000);
        Assert.Equal(["create-acct", "list-accts"], data.GetProperty("acls").EnumerateArray().Select(a => a.GetString()!));
        Assert.Equal(["127.0.0.1"], data.GetProperty("whitelist_ips").EnumerateArray().Select(a => a.GetString()!));
        var token = data.GetProperty("token").GetString()!;

        using var ok = await _host.SendAsync(HttpMethod.Get, "/json-api/listaccts", "root", token);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var forbidden = await _host.SendAsync(HttpMethod.Get, "/json-api/version?api.version=1", "root", token);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("basic-whm-functions", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var list = await _host.CallAsync("api_token_list", "root", _root);
        Assert.DoesNotContain(token, list.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithGetAndQueryString_WorksLikeWhm()
    {
        using var response = await _host.SendAsync(HttpMethod.Get, "/json-api/api_token_create?api.version=1&token_name=viaget&acl=list-accts", "root", _root);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"result\":1", body, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"viaget\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bootstrap", "A conflicting API token with the name “bootstrap” already exists")]
    [InlineData("bad name!", "is not valid")]
    [InlineData("", "The parameter “token_name” is required")]
    public async Task Create_WithABadName_IsRefusedWithWhmsReason(string name, string reason)
    {
        var result = await _host.CallAsync("api_token_create", "root", _root, ("token_name", name));
        Assert.Equal(0, Result(result));
        Assert.Contains(reason, Reason(result), StringComparison.Ordinal);
        Assert.Equal("{}", result.GetProperty("data").GetRawText());
    }

    [Fact]
    public async Task Create_WithAnAclTheResellerLacks_IsRefused()
    {
        var result = await _host.CallAsync("api_token_create", "reseller", _reseller, ("token_name", "x"), ("acl", "list-accts"), ("acl-1", "kill-acct"));
        Assert.Equal(0, Result(result));
        Assert.Equal(
            "Invalid or unauthorized ACL(s) specified: kill-acct. Choose only privileges that your account holds.",
            Reason(result));
    }

    [Theory]
    [InlineData("1000", "must be a future date")]
    [InlineData("tomorrow", "is not valid. Give a Unix time in seconds")]
    [InlineData("-5", "is not valid")]
    [InlineData("99999999999999999999", "is not valid")]
    public async Task Create_WithABadExpiry_IsRefused_NeverA500(string expiresAt, string reason)
    {
        var result = await _host.CallAsync("api_token_create", "root", _root, ("token_name", "x"), ("expires_at", expiresAt));
        Assert.Equal(0, Result(result));
        Assert.Contains(reason, Reason(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_KeysTokensByName_WithTheGrantableAclMap()
    {
        await _host.CallAsync("api_token_create", "reseller", _reseller, ("token_name", "limited"), ("acl", "list-accts"));
        var list = await _host.CallAsync("api_token_list", "reseller", _reseller);
        Assert.Equal(1, Result(list));
        var tokens = list.GetProperty("data").GetProperty("tokens");
        Assert.Equal(["limited", "reseller-main"], tokens.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        var limited = tokens.GetProperty("limited");
        Assert.Equal(0, limited.GetProperty("has_full_access").GetInt32());
        Assert.Equal(JsonValueKind.Null, limited.GetProperty("whitelist_ips").ValueKind);
        var acls = limited.GetProperty("acls").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(1, acls["list-accts"]);
        Assert.Equal(0, acls["create-acct"]);
        Assert.False(acls.ContainsKey("kill-acct")); // the reseller cannot grant it
        Assert.False(acls.ContainsKey("all"));

        var full = tokens.GetProperty("reseller-main");
        Assert.Equal(1, full.GetProperty("has_full_access").GetInt32());
        Assert.All(full.GetProperty("acls").EnumerateObject(), p => Assert.Equal(1, p.Value.GetInt32()));
    }

    [Fact]
    public async Task Update_RenamesAndChangesLimits_WhitelistAnyClears()
    {
        await _host.CallAsync("api_token_create", "root", _root, ("token_name", "ci"), ("acl", "list-accts"), ("whitelist_ip", "192.0.2.1"));
        var updated = await _host.CallAsync("api_token_update", "root", _root,
            ("token_name", "ci"), ("new_name", "ci2"), ("acl", "list-accts"), ("acl-1", "kill-acct"), ("expires_at", "4102444800"));
        Assert.Equal(1, Result(updated));
        var data = updated.GetProperty("data");
        Assert.Equal("ci2", data.GetProperty("name").GetString());
        Assert.Equal(4102444800, data.GetProperty("expires_at").GetInt64());
        Assert.Equal(["kill-acct", "list-accts"], data.GetProperty("acls").EnumerateArray().Select(a => a.GetString()!));
        Assert.Equal(["192.0.2.1"], data.GetProperty("whitelist_ips").EnumerateArray().Select(a => a.GetString()!));
        Assert.False(data.TryGetProperty("token", out _));

        var cleared = await _host.CallAsync("api_token_update", "root", _root, ("token_name", "ci2"), ("whitelist_ip", "any"), ("expires_at", "0"));
        Assert.Equal(1, Result(cleared));
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("data").GetProperty("whitelist_ips").ValueKind);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("data").GetProperty("expires_at").ValueKind);
    }

    [Fact]
    public async Task Update_WithNothingToChange_OrAnUnknownName_IsRefused()
    {
        var nothing = await _host.CallAsync("api_token_update", "root", _root, ("token_name", "bootstrap"));
        Assert.Equal(0, Result(nothing));
        Assert.Equal("Specify a new name, updated ACLs, or IPs.", Reason(nothing));

        var unknown = await _host.CallAsync("api_token_update", "root", _root, ("token_name", "ghost"), ("new_name", "g2"));
        Assert.Equal(0, Result(unknown));
        Assert.Equal("The API token “ghost” does not exist.", Reason(unknown));

        var past = await _host.CallAsync("api_token_update", "root", _root, ("token_name", "bootstrap"), ("expires_at", "1000"));
        Assert.Equal(0, Result(past));
        Assert.Contains("must be a future date", Reason(past), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_IgnoresUnknownNames_AndRefusesNoName()
    {
        var a = (await _host.CallAsync("api_token_create", "root", _root, ("token_name", "a"))).GetProperty("data").GetProperty("token").GetString()!;
        await _host.CallAsync("api_token_create", "root", _root, ("token_name", "b"));

        var none = await _host.CallAsync("api_token_revoke", "root", _root);
        Assert.Equal(0, Result(none));
        Assert.Equal("Specify at least one API token name to revoke.", Reason(none));

        var revoked = await _host.CallAsync("api_token_revoke", "root", _root, ("token_name", "a"), ("token_name-1", "b"), ("token_name-2", "ghost"));
        Assert.Equal(1, Result(revoked));
        Assert.Equal("{}", revoked.GetProperty("data").GetRawText());

        await _host.AssertRefusedAsync("root", a);
        var names = (await _host.CallAsync("api_token_list", "root", _root)).GetProperty("data").GetProperty("tokens").EnumerateObject().Select(p => p.Name);
        Assert.Equal(["bootstrap"], names);
    }

    [Fact]
    public async Task GetDetails_DescribesTheCallersOwnToken_AndNothingForUnknown()
    {
        var token = (await _host.CallAsync("api_token_create", "root", _root, ("token_name", "d"), ("acl", "list-accts")))
            .GetProperty("data").GetProperty("token").GetString()!;
        var details = await _host.CallAsync("api_token_get_details", "root", _root, ("token", token));
        Assert.Equal(1, Result(details));
        Assert.Equal("d", details.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal(["list-accts"], details.GetProperty("data").GetProperty("acls").EnumerateArray().Select(a => a.GetString()!));

        var full = await _host.CallAsync("api_token_get_details", "root", _root, ("token", _root));
        Assert.False(full.GetProperty("data").TryGetProperty("acls", out _));

        var unknown = await _host.CallAsync("api_token_get_details", "root", _root, ("token", "0000000000000000000000000000000X"));
        Assert.Equal(1, Result(unknown));
        Assert.False(unknown.TryGetProperty("data", out _));

        var othersToken = await _host.CallAsync("api_token_get_details", "reseller", _reseller, ("token", token));
        Assert.False(othersToken.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task TokenCalls_WithoutManageApiTokens_Are403NamingIt()
    {
        var token = (await _host.CallAsync("api_token_create", "root", _root, ("token_name", "nomanage"), ("acl", "list-accts")))
            .GetProperty("data").GetProperty("token").GetString()!;
        using var response = await _host.SendAsync(HttpMethod.Post, "/json-api/api_token_list", "root", token);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("manage-api-tokens", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var anonymous = await _host.SendAsync(HttpMethod.Post, "/json-api/api_token_list", null, null);
        await SampleHost.AssertAccessDeniedAsync(anonymous);
    }
}
