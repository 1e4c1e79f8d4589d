using System.Net;
using ApiTokens.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace ApiTokens.Tests.Rotation;

/// <summary>
/// A rotated token's old value on a real Kestrel host (issue 14, item 2): it authenticates while its grace period lasts, cached
/// or not, and from its end is refused like a revoked token (no Argon2); the new value works at once.
/// </summary>
public sealed class GracePeriodTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static Task<WhmTestServer> StartAsync(bool cache, Action<ApiTokenOptions>? configure = null) =>
        WhmTestServer.StartAsync(o =>
        {
            o.Cache.Enabled = cache;
            o.Cache.Lifetime = TimeSpan.FromHours(6); // longer than every grace period here: a cached entry is still current at its end
            configure?.Invoke(o);
        });

    private static async Task<HttpStatusCode> StatusAsync(WhmTestServer server, string token)
    {
        using var response = await server.GetAsync("/whoami", "root", token);
        return response.StatusCode;
    }

    private static async Task<RotatedApiToken> RotateAsync(WhmTestServer server, ApiTokenAccount owner, string name, TimeSpan grace)
    {
        var result = await server.Manager.RotateAsync(owner.Id, name, grace);
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OldValue_WorksUntilTheGracePeriodEnds_ThenIsRefused_AndTheNewValueWorksAtOnce(bool cache)
    {
        await using var server = await StartAsync(cache);
        var root = server.Accounts.Add("root", "all");
        var old = (await server.CreateTokenAsync(root, "deploy")).PlaintextToken;
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, old));

        var rotated = await RotateAsync(server, root, "deploy", Hour);

        Assert.Equal(WhmTestServer.Start + Hour, rotated.PreviousTokenExpiresAt);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, rotated.PlaintextToken));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, old));
        server.Time.Advance(Hour - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, old));

        server.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, old));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, rotated.PlaintextToken));
    }

    [Fact]
    public async Task ACachedEntryOfTheOldValue_StopsAtTheGraceEnd_ThoughTheEntryIsStillCurrent_WithNoStoreReadOrArgon2()
    {
        await using var server = await StartAsync(cache: true);
        var root = server.Accounts.Add("root", "all");
        var old = (await server.CreateTokenAsync(root, "deploy")).PlaintextToken;
        await RotateAsync(server, root, "deploy", Hour);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, old)); // verified once more (the rotation made entries stale), cached
        server.Store.ResetCounts();
        server.Hasher.Reset();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, old));
        Assert.Equal(0, server.Store.Reads); // served from the cache

        server.Time.Advance(Hour);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, old));
        Assert.Equal(0, server.Store.Reads);
        Assert.Equal(0, server.Hasher.VerifyCalls);
    }

    [Fact]
    public async Task AfterTheGracePeriod_TheOldValueIsRefusedLikeARevokedToken_WithoutArgon2()
    {
        await using var server = await StartAsync(cache: false);
        var root = server.Accounts.Add("root", "all");
        var old = (await server.CreateTokenAsync(root, "deploy")).PlaintextToken;
        var revoked = (await server.CreateTokenAsync(root, "gone")).PlaintextToken;
        await server.Manager.RevokeAsync(root.Id, "gone");
        await RotateAsync(server, root, "deploy", Hour);
        server.Time.Advance(Hour);
        server.Hasher.Reset();
        var mark = server.Log.Lines.Count;

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, old));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, revoked));

        Assert.Equal(0, server.Hasher.VerifyCalls);
        var failures = server.Log.Lines.Skip(mark).Where(l => l.EventId == 1001 && l.Category.StartsWith("ApiTokens", StringComparison.Ordinal)).Select(l => l.Message).ToArray();
        Assert.Equal(2, failures.Length);
        Assert.Equal(failures[1], failures[0]); // same reason, no token name: nothing tells the two apart
        Assert.Contains("UnknownToken", failures[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoGracePeriod_StopsTheOldValueAtOnce_EvenWhenItWasCached()
    {
        await using var server = await StartAsync(cache: true);
        var root = server.Accounts.Add("root", "all");
        var old = (await server.CreateTokenAsync(root, "deploy")).PlaintextToken;
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, old));

        var rotated = await RotateAsync(server, root, "deploy", TimeSpan.Zero);

        Assert.Equal(WhmTestServer.Start, rotated.PreviousTokenExpiresAt);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, old));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, rotated.PlaintextToken));
        var row = (await server.Manager.FindByNameAsync(root.Id, "deploy"))!;
        Assert.Null(row.PreviousSelector);
        Assert.Null(row.PreviousSecretHash);
    }

    [Fact]
    public async Task RotatingAgain_EndsTheFirstGracePeriod_OnlyTheValueJustReplacedKeepsWorking()
    {
        await using var server = await StartAsync(cache: true);
        var root = server.Accounts.Add("root", "all");
        var first = (await server.CreateTokenAsync(root, "deploy")).PlaintextToken;
        var second = (await RotateAsync(server, root, "deploy", Hour)).PlaintextToken;
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, first));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, second));

        var third = (await RotateAsync(server, root, "deploy", Hour)).PlaintextToken;

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, first));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, second));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, third));
    }

    [Fact]
    public async Task AnExpiredToken_CannotBeRotated_AndNothingChanges()
    {
        await using var server = await StartAsync(cache: false);
        var root = server.Accounts.Add("root", "all");
        await server.CreateTokenAsync(root, "deploy", expiresAt: WhmTestServer.Start + Hour);
        var before = await server.Manager.FindByNameAsync(root.Id, "deploy");
        server.Time.Advance(Hour + TimeSpan.FromSeconds(1));

        var result = await server.Manager.RotateAsync(root.Id, "deploy", Hour);

        Assert.False(result.Succeeded);
        Assert.Equal(ApiTokenErrorCode.TokenExpired, result.Error.Code);
        Assert.Equal(before, await server.Manager.FindByNameAsync(root.Id, "deploy"));
    }

    [Fact]
    public async Task AGracePeriodOverTheMaximum_IsRefused_AndTheOldValueStaysTheOnlyOne()
    {
        await using var server = await StartAsync(cache: false, o => o.Rotation.MaxGracePeriod = Hour);
        var root = server.Accounts.Add("root", "all");
        var old = (await server.CreateTokenAsync(root, "deploy")).PlaintextToken;
        var before = await server.Manager.FindByNameAsync(root.Id, "deploy");

        var over = await server.Manager.RotateAsync(root.Id, "deploy", Hour + TimeSpan.FromSeconds(1));
        var negative = await server.Manager.RotateAsync(root.Id, "deploy", TimeSpan.FromSeconds(-1));
        var atMost = await server.Manager.RotateAsync(root.Id, "deploy", Hour);

        Assert.Equal(ApiTokenErrorCode.InvalidGracePeriod, over.Error?.Code);
        Assert.Equal("The grace period must be between 0 seconds and 1 hour (3600 seconds).", over.Error?.Message);
        Assert.Equal(ApiTokenErrorCode.InvalidGracePeriod, negative.Error?.Code);
        Assert.True(atMost.Succeeded);
        Assert.Equal(before!.Selector, atMost.Value.Token.PreviousSelector);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, old));
    }

    [Fact]
    public async Task TheOldValue_HasItsOwnWrongSecretWindow_AndWrongGuessesAtItNeverLockOutTheNewValue()
    {
        await using var server = await StartAsync(cache: false, o =>
        {
            o.Verification.MaxFailuresPerSelector = 2;
            o.Verification.FailureWindow = TimeSpan.FromMinutes(10);
        });
        var root = server.Accounts.Add("root", "all");
        var old = (await server.CreateTokenAsync(root, "deploy")).PlaintextToken;
        var rotated = await RotateAsync(server, root, "deploy", Hour);
        var wrong = old[..^1] + (old[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, wrong));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, wrong));
        server.Hasher.Reset();

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, old)); // the old selector's window is full: no Argon2
        Assert.Equal(0, server.Hasher.VerifyCalls);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, rotated.PlaintextToken));
    }

    [Fact]
    public async Task WrongGuessesAtACachedOldValue_CountForTheOldSelector_NotTheNewOne()
    {
        await using var server = await StartAsync(cache: true, o =>
        {
            o.Verification.MaxFailuresPerSelector = 2;
            o.Verification.FailureWindow = TimeSpan.FromMinutes(10);
        });
        var root = server.Accounts.Add("root", "all");
        var old = (await server.CreateTokenAsync(root, "deploy")).PlaintextToken;
        var rotated = await RotateAsync(server, root, "deploy", Hour);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, old)); // cached: wrong secrets for it are refused from the cache
        var wrong = old[..^1] + (old[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, wrong));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, wrong));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, rotated.PlaintextToken)); // first use: verified, not throttled
    }

    [Fact]
    public async Task TheOldValue_CarriesTheGraceEndAsItsExpirationHeader_AndIsLoggedOnceAsStillInUse()
    {
        await using var server = await StartAsync(cache: true);
        var root = server.Accounts.Add("root", "all");
        var old = (await server.CreateTokenAsync(root, "deploy")).PlaintextToken;
        var rotated = await RotateAsync(server, root, "deploy", Hour);
        var mark = server.Log.Lines.Count;

        using var oldAnswer = await server.GetAsync("/whoami", "root", old);
        using var again = await server.GetAsync("/whoami", "root", old);
        using var newAnswer = await server.GetAsync("/whoami", "root", rotated.PlaintextToken);

        Assert.Equal("Thu, 15 Jan 2026 11:30:00 GMT", Assert.Single(oldAnswer.Headers.GetValues("ApiToken-Expiration")));
        Assert.False(newAnswer.Headers.Contains("ApiToken-Expiration")); // the token itself never expires
        var used = Assert.Single(server.Log.Lines.Skip(mark), l => l.EventId == 1501);
        Assert.Equal(LogLevel.Information, used.Level);
        Assert.Equal(
            "API token deploy of root was used with its previous value, which stops working at 2026-01-15 11:30:00Z; the client should switch to the new value",
            used.Message);
        Assert.DoesNotContain(old, server.Log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(rotated.PlaintextToken, server.Log.AllText, StringComparison.Ordinal);
    }
}
