using System.Net;
using System.Text;
using System.Text.Json;

namespace WhmAdmin.Tests;

public sealed class AdminEndToEndTests : IAsyncLifetime
{
    private SampleHost _host = null!;
    private string _root = null!;

    public async Task InitializeAsync()
    {
        _host = await SampleHost.StartAsync();
        _root = await _host.CreateTokenWithCliAsync("root", "bootstrap");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static int Result(JsonElement e) => e.GetProperty("metadata").GetProperty("result").GetInt32();

    private static string Reason(JsonElement e) => e.GetProperty("metadata").GetProperty("reason").GetString()!;

    private async Task<HttpStatusCode> StatusAsync(string user, string token, string path = "/json-api/version")
    {
        using var response = await _host.SendAsync(HttpMethod.Get, path, user, token);
        return response.StatusCode;
    }

    private async Task<string> CreateAccountWithTokenAsync(string user)
    {
        Assert.Equal(1, Result(await _host.CallAsync("createacct", "root", _root, ("username", user), ("domain", user + ".example.com"))));
        return await _host.CreateTokenWithCliAsync(user, "main");
    }

    [Fact]
    public async Task Version_AndListaccts_AnswerInTheWhmEnvelope_AndRootIsNotListed()
    {
        using var version = await _host.SendAsync(HttpMethod.Get, "/json-api/version?api.version=1", "root", _root);
        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        Assert.StartsWith("{\"metadata\":{\"command\":\"version\",\"version\":1,\"result\":1,\"reason\":\"OK\"},\"data\":{\"version\":",
            await version.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var list = await _host.SendAsync(HttpMethod.Get, "/json-api/listaccts?api.version=1", "root", _root);
        using var doc = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
        var users = doc.RootElement.GetProperty("data").GetProperty("acct").EnumerateArray().Select(a => a.GetProperty("user").GetString()!);
        Assert.Equal(["reseller"], users);
    }

    [Fact]
    public async Task Createacct_MakesAnAccountOwnedByTheCaller_WithBasicPrivileges()
    {
        var reseller = await _host.CreateTokenWithCliAsync("reseller", "main");
        var created = await _host.CallAsync("createacct", "reseller", reseller, ("username", "alice"), ("domain", "alice.example.com"));
        Assert.Equal(1, Result(created));
        Assert.Equal("reseller", created.GetProperty("data").GetProperty("owner").GetString());

        var duplicate = await _host.CallAsync("createacct", "root", _root, ("username", "alice"), ("domain", "alice2.example.com"));
        Assert.Equal(0, Result(duplicate));
        Assert.Contains("already in use", Reason(duplicate), StringComparison.Ordinal);
        var invalid = await _host.CallAsync("createacct", "root", _root, ("username", "Bad Name"));
        Assert.Contains("is not valid", Reason(invalid), StringComparison.Ordinal);

        // Basic privileges: version works, listaccts does not.
        var alice = await _host.CreateTokenWithCliAsync("alice", "main");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("alice", alice));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("alice", alice, "/json-api/listaccts"));

        // The reseller sees only what it owns (and itself).
        using var list = await _host.SendAsync(HttpMethod.Get, "/json-api/listaccts?api.version=1", "reseller", reseller);
        using var doc = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
        Assert.Equal(["alice", "reseller"], doc.RootElement.GetProperty("data").GetProperty("acct").EnumerateArray().Select(a => a.GetProperty("user").GetString()!));
    }

    [Fact]
    public async Task Suspend_StopsTheAccountsTokens_AndUnsuspendRestoresThem()
    {
        var bob = await CreateAccountWithTokenAsync("bob");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("bob", bob));

        Assert.Equal(1, Result(await _host.CallAsync("suspendacct", "root", _root, ("user", "bob"))));
        await _host.AssertRefusedAsync("bob", bob);
        var cli = await _host.CliAsync("tokens", "create", "--user", "bob", "--name", "during");
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("suspended", cli.StdErr, StringComparison.Ordinal);

        Assert.Equal(1, Result(await _host.CallAsync("unsuspendacct", "root", _root, ("user", "bob"))));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("bob", bob));

        var again = await _host.CallAsync("unsuspendacct", "root", _root, ("user", "bob"));
        Assert.Equal(1, Result(again)); // as on WHM: unsuspending an active account succeeds and changes nothing
        Assert.Equal("The account “bob” is not suspended.", Reason(again));
    }

    [Fact]
    public async Task Modifyacct_Rename_KeepsTokensUnderTheNewNameOnly()
    {
        var carol = await CreateAccountWithTokenAsync("carol");
        var renamed = await _host.CallAsync("modifyacct", "root", _root, ("user", "carol"), ("newuser", "caroline"));
        Assert.Equal(1, Result(renamed));
        await _host.AssertRefusedAsync("carol", carol);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("caroline", carol));

        var taken = await _host.CallAsync("modifyacct", "root", _root, ("user", "caroline"), ("newuser", "reseller"));
        Assert.Contains("already in use", Reason(taken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removeacct_RevokesTokens_AndARecreatedAccountDoesNotGetThemBack()
    {
        var dave = await CreateAccountWithTokenAsync("dave");
        var removed = await _host.CallAsync("removeacct", "root", _root, ("user", "dave"));
        Assert.Equal(1, Result(removed));
        Assert.Equal(1, removed.GetProperty("data").GetProperty("revoked_tokens").GetInt32());
        await _host.AssertRefusedAsync("dave", dave);

        Assert.Equal(1, Result(await _host.CallAsync("createacct", "root", _root, ("username", "dave"), ("domain", "dave.example.com"))));
        await _host.AssertRefusedAsync("dave", dave);
        var list = await _host.CliAsync("tokens", "list", "--user", "dave");
        Assert.Equal(0, list.ExitCode);
        Assert.Equal(string.Empty, list.StdOut.Trim());

        var unknown = await _host.CallAsync("removeacct", "root", _root, ("user", "nobody"));
        Assert.Equal("The account “nobody” does not exist.", Reason(unknown));
    }

    [Fact]
    public async Task Setacls_ReplacesPrivileges_EffectiveOnTheNextRequest()
    {
        var reseller = await _host.CreateTokenWithCliAsync("reseller", "main");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("reseller", reseller, "/json-api/listaccts"));

        var set = await _host.CallAsync("setacls", "root", _root, ("reseller", "reseller"), ("acl-basic-whm-functions", "1"), ("acl-manage-api-tokens", "1"));
        Assert.Equal(1, Result(set));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("reseller", reseller, "/json-api/listaccts"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("reseller", reseller));

        var bad = await _host.CallAsync("setacls", "root", _root, ("reseller", "reseller"), ("acl-fly", "1"));
        Assert.Contains("Unknown privilege(s): fly", Reason(bad), StringComparison.Ordinal);

        // Only root (all) may call it.
        using var forbidden = await _host.SendAsync(HttpMethod.Post, "/json-api/setacls?api.version=1", "reseller", reseller, ("reseller", "reseller"), ("acl-all", "1"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("needs the “all” privilege", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResellerCannotManageAccountsItDoesNotOwn()
    {
        var reseller = await _host.CreateTokenWithCliAsync("reseller", "main");
        await _host.CallAsync("createacct", "root", _root, ("username", "erin"), ("domain", "erin.example.com"));
        var result = await _host.CallAsync("suspendacct", "reseller", reseller, ("user", "erin"));
        Assert.Equal(0, Result(result));
        Assert.Contains("do not own", Reason(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_KeepsTokens()
    {
        var created = await _host.CallAsync("api_token_create", "root", _root, ("token_name", "persist"));
        var token = created.GetProperty("data").GetProperty("token").GetString()!;

        await _host.StopAppAsync();
        await _host.StartAppAsync();

        Assert.Equal(HttpStatusCode.OK, await StatusAsync("root", token));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("root", _root));
    }

    [Fact]
    public async Task NoPlaintextToken_InTheSqliteFile_OrTheLog()
    {
        var reseller = await _host.CreateTokenWithCliAsync("reseller", "main");
        var created = await _host.CallAsync("api_token_create", "root", _root, ("token_name", "secret"), ("acl", "list-accts"));
        var token = created.GetProperty("data").GetProperty("token").GetString()!;
        await _host.CallAsync("api_token_get_details", "root", _root, ("token", token));
        await _host.CallAsync("api_token_update", "root", _root, ("token_name", "secret"), ("new_name", "secret2"));
        await StatusAsync("root", token + "X"); // a failed authentication is logged
        await _host.CallAsync("api_token_revoke", "root", _root, ("token_name", "secret2"));
        await _host.StopAppAsync();

        var log = _host.Log.AllText;
        Assert.Contains("secret2", log, StringComparison.Ordinal); // the audit names the token...
        foreach (var plaintext in new[] { _root, reseller, token })
        {
            Assert.DoesNotContain(plaintext, log, StringComparison.Ordinal); // ...never its value
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_host.DatabaseFile)!))
            {
                var bytes = await File.ReadAllBytesAsync(file);
                Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(plaintext)));
                Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(plaintext)));
            }
        }

        await _host.StartAppAsync();
    }
}
