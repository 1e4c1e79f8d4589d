using System.Net;
using ApiTokens.Tests.Infrastructure;

namespace ApiTokens.Tests.Verification;

/// <summary>Every change that alters what a token may do takes effect on the very next request.</summary>
public sealed class WhmCacheInvalidationTests : IAsyncLifetime
{
    private WhmTestServer _server = null!;
    private ApiTokens.ApiTokenAccount _root = null!;
    private CreatedApiToken _token = null!;

    public async Task InitializeAsync()
    {
        _server = await WhmTestServer.StartAsync();
        _root = _server.Accounts.Add("root", "all");
        _token = await _server.CreateTokenAsync(_root, "t", ["list-accts"]);
        await AssertStatus(HttpStatusCode.OK); // warm the cache
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task AssertStatus(HttpStatusCode expected, string path = "/json-api/listaccts", string user = "root") =>
        Assert.Equal(expected, (await _server.GetAsync(path, user, _token.PlaintextToken)).StatusCode);

    [Fact]
    public async Task Revoke_TakesEffectOnTheNextRequest()
    {
        await _server.Manager.RevokeAsync(_root.Id, "t");
        await AssertStatus(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RevokeAll_TakesEffectOnTheNextRequest()
    {
        await _server.Manager.RevokeAllAsync(_root.Id);
        await AssertStatus(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Rename_TakesEffectOnTheNextRequest()
    {
        await _server.Manager.UpdateAsync(_root.Id, "t", new ApiTokenUpdateRequest { NewName = "renamed" });
        var body = await (await _server.GetAsync("/whoami", "root", _token.PlaintextToken)).Content.ReadAsStringAsync();
        Assert.Contains("\"renamed\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AclChange_TakesEffectOnTheNextRequest()
    {
        await _server.Manager.UpdateAsync(_root.Id, "t", new ApiTokenUpdateRequest { Acls = ["kill-acct"] });
        await AssertStatus(HttpStatusCode.Forbidden);
        await AssertStatus(HttpStatusCode.OK, "/json-api/killacct");
    }

    [Fact]
    public async Task ExpiryChange_TakesEffectOnTheNextRequest()
    {
        await _server.Manager.UpdateAsync(_root.Id, "t", new ApiTokenUpdateRequest { ExpiresAt = WhmTestServer.Start.AddSeconds(30) });
        await AssertStatus(HttpStatusCode.OK);
        _server.Time.Advance(TimeSpan.FromSeconds(31));
        await AssertStatus(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task WhitelistChange_TakesEffectOnTheNextRequest()
    {
        await _server.Manager.UpdateAsync(_root.Id, "t", new ApiTokenUpdateRequest { WhitelistIps = ["192.0.2.1"] });
        await AssertStatus(HttpStatusCode.Unauthorized);
        await _server.Manager.UpdateAsync(_root.Id, "t", new ApiTokenUpdateRequest { WhitelistIps = [] });
        await AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AccountPrivilegeChange_TakesEffectOnTheNextRequest()
    {
        _server.Accounts.Update(_root.Id, privileges: ["create-acct"]);
        await _server.Manager.AccountChangedAsync(_root.Id);
        await AssertStatus(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AccountSuspendedAndUnsuspended_TakeEffectOnTheNextRequest()
    {
        _server.Accounts.Update(_root.Id, isSuspended: true);
        await _server.Manager.AccountChangedAsync(_root.Id);
        await AssertStatus(HttpStatusCode.Unauthorized);
        _server.Accounts.Update(_root.Id, isSuspended: false);
        await _server.Manager.AccountChangedAsync(_root.Id);
        await AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AccountRenamed_TakesEffectOnTheNextRequest()
    {
        _server.Accounts.Update(_root.Id, userName: "admin");
        await _server.Manager.AccountChangedAsync(_root.Id);
        await AssertStatus(HttpStatusCode.Unauthorized);
        await AssertStatus(HttpStatusCode.OK, user: "admin");
    }

    [Fact]
    public async Task AccountDeleted_TakesEffectOnTheNextRequest()
    {
        _server.Accounts.Remove(_root.Id);
        await _server.Manager.AccountDeletedAsync(_root.Id);
        await AssertStatus(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ChangeToAnotherToken_DoesNotMakeThisOneRunArgon2Again()
    {
        await _server.CreateTokenAsync(_root, "other");
        await _server.Manager.RevokeAsync(_root.Id, "other");
        _server.Hasher.Reset();
        await AssertStatus(HttpStatusCode.OK);
        Assert.Equal(0, _server.Hasher.VerifyCalls);
    }
}
