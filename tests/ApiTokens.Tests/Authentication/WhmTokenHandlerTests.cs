using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ApiTokens.Authentication;
using ApiTokens.Tests.Infrastructure;

namespace ApiTokens.Tests.Authentication;

public sealed class WhmTokenHandlerTests : IAsyncLifetime
{
    private WhmTestServer _server = null!;

    public async Task InitializeAsync() => _server = await WhmTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<Dictionary<string, List<string>>> ClaimsOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("claims").EnumerateArray()
            .Select(c => (Type: c[0].GetString()!, Value: c[1].GetString()!))
            .GroupBy(c => c.Type)
            .ToDictionary(g => g.Key, g => g.Select(c => c.Value).ToList());
    }

    [Fact]
    public async Task ValidToken_PrincipalCarriesUserAccountTokenNameFlagAndPrivileges()
    {
        var root = _server.Accounts.Add("root", "all");
        var created = await _server.CreateTokenAsync(root, "deploy", ["list-accts", "create-acct"]);

        var response = await _server.GetAsync("/whoami", "root", created.PlaintextToken);

        var claims = await ClaimsOf(response);
        Assert.Equal(["root"], claims[System.Security.Claims.ClaimTypes.Name]);
        Assert.Equal([root.Id], claims[System.Security.Claims.ClaimTypes.NameIdentifier]);
        Assert.Equal(["deploy"], claims[WhmClaimTypes.TokenName]);
        Assert.Equal(["false"], claims[WhmClaimTypes.FullAccess]);
        Assert.Equal(["create-acct", "list-accts"], claims[WhmClaimTypes.Privilege]);
    }

    [Fact]
    public async Task AuthenticationType_IsTheSchemeName()
    {
        var root = _server.Accounts.Add("root", "all");
        var created = await _server.CreateTokenAsync(root, "t");
        var body = await (await _server.GetAsync("/whoami", "root", created.PlaintextToken)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("whm", body.GetProperty("authenticationType").GetString());
    }

    [Theory]
    [InlineData("whm")]
    [InlineData("WHM")]
    [InlineData("Whm")]
    public async Task SchemeWord_IsCaseInsensitive(string scheme)
    {
        var root = _server.Accounts.Add("root", "all");
        var created = await _server.CreateTokenAsync(root, "t");
        var response = await _server.GetAsync("/json-api/listaccts", $"{scheme} root:{created.PlaintextToken}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task FullAccessToken_OfRoot_HasAll_AndOfReseller_HasExactlyTheResellersPrivileges()
    {
        var root = _server.Accounts.Add("root", "all");
        var reseller = _server.Accounts.Add("res", "list-accts", "create-acct");
        var rootToken = await _server.CreateTokenAsync(root, "full");
        var resellerToken = await _server.CreateTokenAsync(reseller, "full");

        var rootClaims = await ClaimsOf(await _server.GetAsync("/whoami", "root", rootToken.PlaintextToken));
        Assert.Equal(["all"], rootClaims[WhmClaimTypes.Privilege]);
        Assert.Equal(["true"], rootClaims[WhmClaimTypes.FullAccess]);

        var resClaims = await ClaimsOf(await _server.GetAsync("/whoami", "res", resellerToken.PlaintextToken));
        Assert.Equal(["create-acct", "list-accts"], resClaims[WhmClaimTypes.Privilege]);
        Assert.Equal(HttpStatusCode.Forbidden, (await _server.GetAsync("/json-api/killacct", "res", resellerToken.PlaintextToken)).StatusCode);
    }

    [Fact]
    public async Task LimitedToken_OfRoot_IsExactlyItsList()
    {
        var root = _server.Accounts.Add("root", "all");
        var token = await _server.CreateTokenAsync(root, "t", ["kill-acct"]);
        var claims = await ClaimsOf(await _server.GetAsync("/whoami", "root", token.PlaintextToken));
        Assert.Equal(["kill-acct"], claims[WhmClaimTypes.Privilege]);
        Assert.Equal(HttpStatusCode.Forbidden, (await _server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/json-api/killacct", "root", token.PlaintextToken)).StatusCode);
    }

    [Fact]
    public async Task LimitedToken_OfReseller_IsIntersectedWithTheResellersCurrentPrivileges()
    {
        var reseller = _server.Accounts.Add("res", "list-accts", "create-acct");
        var token = await _server.CreateTokenAsync(reseller, "t", ["list-accts", "create-acct"]);
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/json-api/listaccts", "res", token.PlaintextToken)).StatusCode);

        _server.Accounts.Update(reseller.Id, privileges: ["create-acct"]);
        await _server.Manager.AccountChangedAsync(reseller.Id);

        var claims = await ClaimsOf(await _server.GetAsync("/whoami", "res", token.PlaintextToken));
        Assert.Equal(["create-acct"], claims[WhmClaimTypes.Privilege]);
        var forbidden = await _server.GetAsync("/json-api/listaccts", "res", token.PlaintextToken);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task Forbidden_IsProblemDetails_NamingTheMissingPrivilege()
    {
        var root = _server.Accounts.Add("root", "all");
        var token = await _server.CreateTokenAsync(root, "t", ["list-accts"]);

        var response = await _server.GetAsync("/json-api/killacct", "root", token.PlaintextToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(403, body.GetProperty("status").GetInt32());
        Assert.Contains("'kill-acct'", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("kill-acct", body.GetProperty("missing_privileges")[0].GetString());
    }

    [Fact]
    public async Task TwoPrivilegesRequired_BothNeeded_AndTheMissingOneIsNamed()
    {
        var root = _server.Accounts.Add("root", "all");
        var one = await _server.CreateTokenAsync(root, "one", ["list-accts"]);
        var both = await _server.CreateTokenAsync(root, "both", ["list-accts", "create-acct"]);

        var denied = await _server.GetAsync("/json-api/two", "root", one.PlaintextToken);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var body = await denied.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["create-acct"], body.GetProperty("missing_privileges").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/json-api/two", "root", both.PlaintextToken)).StatusCode);
    }

    [Fact]
    public async Task DynamicPolicyName_WorksForAnyPrivilege()
    {
        var root = _server.Accounts.Add("root", "all");
        var yes = await _server.CreateTokenAsync(root, "yes", ["create-acct"]);
        var no = await _server.CreateTokenAsync(root, "no", ["list-accts"]);
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/policy", "root", yes.PlaintextToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _server.GetAsync("/policy", "root", no.PlaintextToken)).StatusCode);
    }

    [Fact]
    public async Task NoHeader_OrAnotherScheme_IsNoResult_AnonymousEndpointsStillWork()
    {
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/anonymous", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/anonymous", "Basic cm9vdDpwdw==")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/anonymous", "whmx root:abc")).StatusCode);

        var challenged = await _server.GetAsync("/json-api/listaccts", "Bearer abc");
        Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
        Assert.Equal("whm", challenged.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain(_server.Log.Lines, l => l.EventId == 1001 && l.Category.EndsWith("WhmTokenHandler", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RenamedAccount_AuthenticatesUnderItsNewNameOnly()
    {
        var reseller = _server.Accounts.Add("oldname", "list-accts");
        var token = await _server.CreateTokenAsync(reseller, "t", ["list-accts"]);
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/json-api/listaccts", "oldname", token.PlaintextToken)).StatusCode);

        _server.Accounts.Update(reseller.Id, userName: "newname");
        await _server.Manager.AccountChangedAsync(reseller.Id);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.GetAsync("/json-api/listaccts", "oldname", token.PlaintextToken)).StatusCode);
        var claims = await ClaimsOf(await _server.GetAsync("/whoami", "newname", token.PlaintextToken));
        Assert.Equal(["newname"], claims[System.Security.Claims.ClaimTypes.Name]);
    }

    [Fact]
    public async Task DeletedAccount_TokensNeverWorkAgain_EvenWhenANewAccountTakesTheName()
    {
        var reseller = _server.Accounts.Add("res", "list-accts");
        var token = await _server.CreateTokenAsync(reseller, "t", ["list-accts"]);
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/json-api/listaccts", "res", token.PlaintextToken)).StatusCode);

        _server.Accounts.Remove(reseller.Id);
        await _server.Manager.AccountDeletedAsync(reseller.Id);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.GetAsync("/json-api/listaccts", "res", token.PlaintextToken)).StatusCode);

        _server.Accounts.Add("res", "list-accts");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.GetAsync("/json-api/listaccts", "res", token.PlaintextToken)).StatusCode);
    }

    [Fact]
    public async Task SuspendedAccount_IsRefused_AndWorksAgainAfterUnsuspension()
    {
        var reseller = _server.Accounts.Add("res", "list-accts");
        var token = await _server.CreateTokenAsync(reseller, "t", ["list-accts"]);
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/json-api/listaccts", "res", token.PlaintextToken)).StatusCode);

        _server.Accounts.Update(reseller.Id, isSuspended: true);
        await _server.Manager.AccountChangedAsync(reseller.Id);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.GetAsync("/json-api/listaccts", "res", token.PlaintextToken)).StatusCode);

        _server.Accounts.Update(reseller.Id, isSuspended: false);
        await _server.Manager.AccountChangedAsync(reseller.Id);
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/json-api/listaccts", "res", token.PlaintextToken)).StatusCode);
    }

    [Fact]
    public async Task ExpiredToken_IsRefused_FromTheCachedRecord()
    {
        var root = _server.Accounts.Add("root", "all");
        var token = await _server.CreateTokenAsync(root, "t", expiresAt: WhmTestServer.Start.AddHours(1));
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken)).StatusCode);

        _server.Time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken)).StatusCode);
        var reads = _server.Store.Reads;

        _server.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken)).StatusCode); // expires_at == now: not yet

        _server.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken)).StatusCode);
        Assert.Equal(reads, _server.Store.Reads);
        Assert.Contains(_server.Log.Lines, l => l.EventId == 1001 && l.Message.Contains("Expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CachedToken_DoesNotRunArgon2_OrTouchTheStore()
    {
        var root = _server.Accounts.Add("root", "all");
        var token = await _server.CreateTokenAsync(root, "t");
        _server.Hasher.Reset();
        _server.Store.ResetCounts();

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken)).StatusCode);
        }

        Assert.Equal(1, _server.Hasher.VerifyCalls);
        Assert.Equal(1, _server.Store.Reads);
    }

    [Fact]
    public async Task CacheLifetime_ExpiresEntries_WhichAreReprovenWithoutArgon2WhenTheHashIsUnchanged()
    {
        var root = _server.Accounts.Add("root", "all");
        var token = await _server.CreateTokenAsync(root, "t");
        await _server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken);
        _server.Hasher.Reset();
        _server.Store.ResetCounts();

        _server.Time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken)).StatusCode);
        Assert.Equal(1, _server.Store.Reads);
    }

    [Fact]
    public async Task ConcurrentFirstRequests_RunArgon2Once()
    {
        var root = _server.Accounts.Add("root", "all");
        var token = await _server.CreateTokenAsync(root, "t");
        _server.Hasher.Reset();

        var responses = await Task.WhenAll(Enumerable.Range(0, 64)
            .Select(_ => _server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, _server.Hasher.VerifyCalls);
    }

    [Fact]
    public async Task UnknownUser_AndUnknownSelector_AreRefusedWithoutArgon2()
    {
        var root = _server.Accounts.Add("root", "all");
        var token = await _server.CreateTokenAsync(root, "t");
        _server.Hasher.Reset();

        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.GetAsync("/json-api/listaccts", "nobody", token.PlaintextToken)).StatusCode);
        var otherSelector = "ZZZZZZZZ" + token.PlaintextToken[8..];
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.GetAsync("/json-api/listaccts", "root", otherSelector)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.GetAsync("/json-api/listaccts", "root", "not-a-token")).StatusCode);

        Assert.Equal(0, _server.Hasher.VerifyCalls);
    }

    private static string WrongSecretFor(string token, Random random) =>
        token[..8] + new string(Enumerable.Range(0, 24).Select(_ => "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[random.Next(36)]).ToArray());

    [Fact]
    public async Task FloodOfWrongSecrets_ForAnUncachedSelector_RunsArgon2AtMostTheLimitPerWindow()
    {
        var root = _server.Accounts.Add("root", "all");
        var token = await _server.CreateTokenAsync(root, "t");
        _server.Hasher.Reset();

        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await _server.GetAsync("/json-api/listaccts", "root", WrongSecretFor(token.PlaintextToken, random))).StatusCode);
        }

        Assert.Equal(10, _server.Hasher.VerifyCalls);
        Assert.Contains(_server.Log.Lines, l => l.Message.Contains("Throttled", StringComparison.Ordinal));

        // After the window, secrets are checked again: the right one works.
        _server.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken)).StatusCode);
        Assert.Equal(11, _server.Hasher.VerifyCalls);
    }

    [Fact]
    public async Task FloodOfWrongSecrets_ForACachedToken_RunsNoArgon2_AndTheTokenKeepsWorking()
    {
        var root = _server.Accounts.Add("root", "all");
        var token = await _server.CreateTokenAsync(root, "t");
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken)).StatusCode);
        _server.Hasher.Reset();
        _server.Store.ResetCounts();

        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await _server.GetAsync("/json-api/listaccts", "root", WrongSecretFor(token.PlaintextToken, random))).StatusCode);
            if (i % 50 == 0)
            {
                Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken)).StatusCode);
            }
        }

        Assert.Equal(0, _server.Hasher.VerifyCalls);
        Assert.Equal(0, _server.Store.Reads);
        Assert.Contains(_server.Log.Lines, l => l.Message.Contains("WrongSecret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StoreUnavailable_FailsClosedWith503AndRetryAfter_NotA401OrA500()
    {
        var root = _server.Accounts.Add("root", "all");
        var token = await _server.CreateTokenAsync(root, "t");
        _server.Store.Down = true;

        var response = await _server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Contains(_server.Log.Lines, l => l.EventId == 1001 && l.Message.Contains("StoreUnavailable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rehash_UpgradesAWeakStoredHash_AfterASuccessfulVerify()
    {
        var root = _server.Accounts.Add("root", "all");
        var token = await _server.CreateTokenAsync(root, "t");
        var weakHasher = new ApiTokens.Argon2ApiTokenHasher(new ApiTokens.Argon2HashingOptions { MemoryCost = 32, TimeCost = 1, Parallelism = 1 });
        var stored = (await _server.Store.FindByNameAsync(root.Id, "t", default))!;
        var weak = stored with { SecretHash = weakHasher.Hash(token.PlaintextToken[8..]), ConcurrencyStamp = "weak" };
        Assert.Equal(ApiTokens.ApiTokenStoreResult.Success, await _server.Store.UpdateAsync(weak, stored.ConcurrencyStamp, default));
        await _server.Manager.AccountChangedAsync(root.Id);

        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken)).StatusCode);

        var upgraded = (await _server.Store.FindByNameAsync(root.Id, "t", default))!;
        Assert.Contains("m=64,t=1,p=1", upgraded.SecretHash, StringComparison.Ordinal);
        await _server.Manager.AccountChangedAsync(root.Id);
        Assert.Equal(HttpStatusCode.OK, (await _server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken)).StatusCode);
    }

    [Fact]
    public async Task MultipleAuthorizationHeaders_WithWhm_AreRefused()
    {
        var root = _server.Accounts.Add("root", "all");
        var token = await _server.CreateTokenAsync(root, "t");
        var request = new HttpRequestMessage(HttpMethod.Get, "/json-api/listaccts");
        request.Headers.TryAddWithoutValidation("Authorization", [$"whm root:{token.PlaintextToken}", "whm root:other"]);
        var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
