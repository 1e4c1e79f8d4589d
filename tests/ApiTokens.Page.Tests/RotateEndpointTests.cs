using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ApiTokens.Page.Tests.Infrastructure;

namespace ApiTokens.Page.Tests;

/// <summary>
/// "Regenerate" over HTTP (these run on every machine): <c>POST /tokens/api/tokens/{name}/rotate</c> gives a token a new value
/// shown once, the old value stops at once or after the chosen grace period, cookie calls need the antiforgery token, and every
/// refusal is a JSON error with a status that fits, never a 500. Also the grace periods the session offers.
/// </summary>
public sealed class RotateEndpointTests : IAsyncLifetime
{
    private readonly StoreOutage _outage = new();

    private PageTestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await PageTestHost.StartAsync(b => b.WrapStore((_, inner) => _outage.Wrap(inner)));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Rotate_WithTheSessionsAntiforgeryToken_AnswersANewTokenThatWorks_AndTheOldOneStopsAtOnce()
    {
        var old = await _host.CreateTokenAsync("root", "ci", ["list-accts"]);
        using var client = await SignedInAsync("root");

        using var response = await client.SendAsync(HttpMethod.Post, "/tokens/api/tokens/ci/rotate", new { grace_period = 0 }, antiforgery: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var body = json.RootElement;
        var token = body.GetProperty("token").GetString()!;
        Assert.Matches("^[0-9A-Z]{32}$", token);
        Assert.NotEqual(old, token);
        Assert.Equal("ci", body.GetProperty("rotated").GetProperty("name").GetString());
        Assert.Equal(["list-accts"], body.GetProperty("rotated").GetProperty("acls").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(_host.Time.GetUtcNow().ToUnixTimeSeconds(), body.GetProperty("previous_token_expires_at").GetInt64());

        using (var fresh = await _host.CallWithTokenAsync("/json-api/listaccts", "root", token))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        using (var stale = await _host.CallWithTokenAsync("/json-api/listaccts", "root", old))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        }

        Assert.Equal(["ci"], await _host.TokenNamesAsync("root"));
        Assert.DoesNotContain(token, _host.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_WithAGracePeriod_KeepsTheOldTokenWorkingUntilItEnds_ThenRefusesIt()
    {
        var old = await _host.CreateTokenAsync("root", "ci", ["list-accts"]);
        using var client = await SignedInAsync("root");
        var start = _host.Time.GetUtcNow();

        using var response = await client.SendAsync(HttpMethod.Post, "/tokens/api/tokens/ci/rotate", new { grace_period = 3600 }, antiforgery: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(start.AddHours(1).ToUnixTimeSeconds(), json.RootElement.GetProperty("previous_token_expires_at").GetInt64());
        var token = json.RootElement.GetProperty("token").GetString()!;

        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(old));
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(token));
        _host.Time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(old));

        _host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(old));
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(token));
    }

    [Fact]
    public async Task Rotate_WithACookieButWithoutTheAntiforgeryToken_IsRefused400_AndTheTokenKeepsItsValue()
    {
        var old = await _host.CreateTokenAsync("root", "ci", ["list-accts"]);
        using var client = await SignedInAsync("root");

        using var response = await client.SendAsync(HttpMethod.Post, "/tokens/api/tokens/ci/rotate", new { grace_period = 0 }, antiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("antiforgery", (await ErrorAsync(response)).Code);
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(old));
        Assert.Equal(1, _host.Logs.Count(5002));
    }

    [Fact]
    public async Task Rotate_WithAWhmToken_NeedsNoAntiforgeryNorABody_AndTheOldValueStopsAtOnce()
    {
        var manager = await _host.CreateTokenAsync("root", "token-manager", [WhmPrivileges.ManageApiTokens]);
        var old = await _host.CreateTokenAsync("root", "ci", ["list-accts"]);
        using var client = new PageHttpClient(_host);

        using var response = await client.SendAsync(
            HttpMethod.Post, "/tokens/api/tokens/ci/rotate", authorization: new AuthenticationHeaderValue("whm", $"root:{manager}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(json.RootElement.GetProperty("token").GetString()!));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(old));
    }

    [Fact]
    public async Task ARotatedTokensOldValue_MayList_ButNotChangeTokens()
    {
        var manager = await _host.CreateTokenAsync("root", "token-manager", [WhmPrivileges.ManageApiTokens]);
        var rotated = await _host.Manager.RotateAsync(await _host.AccountIdAsync("root"), "token-manager", TimeSpan.FromHours(1));
        Assert.True(rotated.Succeeded, rotated.Error?.Message);

        using (var listed = await _host.CallWithTokenAsync("/tokens/api/tokens", "root", manager))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        }

        using var refused = await _host.CallWithTokenAsync("/tokens/api/tokens/token-manager/rotate", "root", manager, HttpMethod.Post);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var json = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("previous_value", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        var stored = await _host.Manager.FindByNameAsync(await _host.AccountIdAsync("root"), "token-manager");
        Assert.Equal(rotated.Value.Token.Selector, stored!.Selector); // not rotated again
    }

    [Fact]
    public async Task Rotate_WithAWhmTokenWithoutManageApiTokens_IsRefused403()
    {
        var lister = await _host.CreateTokenAsync("root", "lister", ["list-accts"]);
        using var response = await _host.CallWithTokenAsync("/tokens/api/tokens/lister/rotate", "root", lister, HttpMethod.Post);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(lister));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(7 * 24 * 3600 + 1)]
    [InlineData(long.MaxValue)]
    public async Task Rotate_WithAGracePeriodOutOfRange_IsRefused400_OnTheGracePeriodField_AndChangesNothing(long seconds)
    {
        var old = await _host.CreateTokenAsync("root", "ci", ["list-accts"]);
        using var client = await SignedInAsync("root");

        using var response = await client.SendAsync(HttpMethod.Post, "/tokens/api/tokens/ci/rotate", new { grace_period = seconds }, antiforgery: true);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Equal("invalid_grace_period", error.Code);
        Assert.Equal("grace_period", error.Field);
        Assert.Contains("604800 seconds", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(old));
    }

    [Fact]
    public async Task Rotate_WithAGracePeriodThatIsNotANumber_IsRefused400InvalidJson()
    {
        await _host.CreateTokenAsync("root", "ci", ["list-accts"]);
        using var client = await SignedInAsync("root");

        using var response = await client.SendAsync(HttpMethod.Post, "/tokens/api/tokens/ci/rotate", new { grace_period = "1 hour" }, antiforgery: true);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_json", (await ErrorAsync(response)).Code);
    }

    [Fact]
    public async Task Rotate_AnUnknownToken_Answers404_AndAnExpiredOne409_WithTheServersSentence()
    {
        await _host.CreateTokenAsync("root", "gone", ["list-accts"], _host.Time.GetUtcNow().AddMinutes(5));
        _host.Time.Advance(TimeSpan.FromMinutes(10));
        using var client = await SignedInAsync("root");

        using var unknown = await client.SendAsync(HttpMethod.Post, "/tokens/api/tokens/nothing/rotate", new { grace_period = 0 }, antiforgery: true);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("token_not_found", (await ErrorAsync(unknown)).Code);

        using var expired = await client.SendAsync(HttpMethod.Post, "/tokens/api/tokens/gone/rotate", new { grace_period = 0 }, antiforgery: true);
        Assert.Equal(HttpStatusCode.Conflict, expired.StatusCode);
        var error = await ErrorAsync(expired);
        Assert.Equal("token_expired", error.Code);
        Assert.Contains("has expired, so it cannot be regenerated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_AnotherAccountsTokenName_FindsOnlyTheCallersOwn()
    {
        var resellers = await _host.CreateTokenAsync("reseller", "shared-name", ["list-accts"]);
        using var client = await SignedInAsync("root");

        using var response = await client.SendAsync(HttpMethod.Post, "/tokens/api/tokens/shared-name/rotate", new { grace_period = 0 }, antiforgery: true);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var still = await _host.CallWithTokenAsync("/json-api/listaccts", "reseller", resellers);
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task Rotate_WhenTheStoreIsDown_Answers503StoreUnavailable_NeverA500()
    {
        await _host.CreateTokenAsync("root", "ci", ["list-accts"]);
        using var client = await SignedInAsync("root");
        _outage.Down = true;

        using var response = await client.SendAsync(HttpMethod.Post, "/tokens/api/tokens/ci/rotate", new { grace_period = 0 }, antiforgery: true);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("store_unavailable", (await ErrorAsync(response)).Code);
    }

    [Fact]
    public async Task Session_OffersStopAtOnce_1Hour_1Day_And7Days_ByDefault()
    {
        using var client = await SignedInAsync("root");
        var session = await client.SessionAsync();
        Assert.Equal(
            [(0L, "Stop at once"), (3600L, "1 hour"), (86400L, "1 day"), (604800L, "7 days")],
            session.GetProperty("grace_periods").EnumerateArray().Select(g => (g.GetProperty("seconds").GetInt64(), g.GetProperty("label").GetString())));
    }

    private async Task<PageHttpClient> SignedInAsync(string user)
    {
        var client = new PageHttpClient(_host);
        await client.LogInAsync(user);
        await client.SessionAsync();
        return client;
    }

    private async Task<HttpStatusCode> StatusWithAsync(string token)
    {
        using var response = await _host.CallWithTokenAsync("/json-api/listaccts", "root", token);
        return response.StatusCode;
    }

    internal static async Task<(string? Code, string? Message, string? Field)> ErrorAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        return (error.GetProperty("code").GetString(), error.GetProperty("message").GetString(), error.GetProperty("field").GetString());
    }
}
