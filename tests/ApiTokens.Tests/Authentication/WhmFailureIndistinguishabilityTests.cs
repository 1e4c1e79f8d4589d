using System.Net;
using ApiTokens.Tests.Infrastructure;

namespace ApiTokens.Tests.Authentication;

public sealed class WhmFailureIndistinguishabilityTests
{
    private sealed record Observed(HttpStatusCode Status, string WwwAuthenticate, string Body, string ContentType, string HeaderNames);

    private static async Task<Observed> Observe(HttpResponseMessage r) => new(
        r.StatusCode,
        r.Headers.WwwAuthenticate.ToString(),
        await r.Content.ReadAsStringAsync(),
        r.Content.Headers.ContentType?.ToString() ?? string.Empty,
        string.Join(",", r.Headers.Select(h => h.Key).Where(k => k != "Date").Order(StringComparer.Ordinal)));

    [Fact]
    public async Task EveryFailureReason_LooksTheSameToTheClient_AndTheLogSaysWhichItWas_WithoutTheToken()
    {
        await using var server = await WhmTestServer.StartAsync();
        var root = server.Accounts.Add("root", "all");
        var suspended = server.Accounts.Add("sus", "list-accts");
        var good = await server.CreateTokenAsync(root, "good");
        var revoked = await server.CreateTokenAsync(root, "revoked");
        var expiring = await server.CreateTokenAsync(root, "expiring", expiresAt: WhmTestServer.Start.AddMinutes(1));
        var fenced = await server.CreateTokenAsync(root, "fenced", whitelist: ["10.0.0.0/8"]);
        var suspendedToken = await server.CreateTokenAsync(suspended, "s", ["list-accts"]);
        await server.Manager.RevokeAsync(root.Id, "revoked");
        server.Accounts.Update(suspended.Id, isSuspended: true);
        await server.Manager.AccountChangedAsync(suspended.Id);
        server.Time.Advance(TimeSpan.FromMinutes(2));

        var cases = new (string Reason, string? Header)[]
        {
            ("Malformed", "whm rootonly"),
            ("Malformed", "whm :" + good.PlaintextToken),
            ("Malformed", "whm root:"),
            ("Malformed", "whm ro ot:" + good.PlaintextToken),
            ("Malformed", "whm"),
            ("UnknownUser", "whm ghost:" + good.PlaintextToken),
            ("WrongSecret", "whm root:" + good.PlaintextToken[..8] + new string('Q', 24)),
            ("UnknownToken", "whm root:" + revoked.PlaintextToken),
            ("Expired", "whm root:" + expiring.PlaintextToken),
            ("Suspended", "whm sus:" + suspendedToken.PlaintextToken),
            ("IpNotAllowed", "whm root:" + fenced.PlaintextToken),
            ("Malformed", "whm root:" + good.PlaintextToken + new string('A', 600)),
        };

        var observed = new List<Observed>();
        foreach (var (reason, header) in cases)
        {
            var before = server.Log.Lines.Count;
            var response = await server.GetAsync("/json-api/listaccts", header);
            observed.Add(await Observe(response));
            var failure = server.Log.Lines.Skip(before).Single(l => l.EventId == 1001 && l.Category.EndsWith("WhmTokenHandler", StringComparison.Ordinal));
            Assert.Contains($"failed: {reason} ", failure.Message, StringComparison.Ordinal);
        }

        Assert.All(observed, o => Assert.Equal(observed[0], o));
        Assert.Equal(HttpStatusCode.Unauthorized, observed[0].Status);
        Assert.Equal("whm", observed[0].WwwAuthenticate);
        Assert.Equal(string.Empty, observed[0].Body);

        // The good token still works, and no secret ever reached the log.
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/json-api/listaccts", "root", good.PlaintextToken)).StatusCode);
        var log = server.Log.AllText;
        foreach (var token in new[] { good, revoked, expiring, fenced, suspendedToken })
        {
            Assert.DoesNotContain(token.PlaintextToken[8..], log, StringComparison.Ordinal);
            Assert.DoesNotContain(token.Token.SecretHash, log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SwappedUserAndToken_TheTokenIsRedactedFromTheLog()
    {
        await using var server = await WhmTestServer.StartAsync();
        var root = server.Accounts.Add("root", "all");
        var good = await server.CreateTokenAsync(root, "good");

        var nearMisses = new[]
        {
            good.PlaintextToken,                              // swapped parts
            good.PlaintextToken.ToLowerInvariant(),           // swapped and lower-cased
            good.PlaintextToken[..31],                        // one character short
            good.PlaintextToken + "X",                        // one too many
            good.PlaintextToken[..16] + "-" + good.PlaintextToken[16..],
        };
        foreach (var userPart in nearMisses)
        {
            var response = await server.GetAsync("/json-api/listaccts", $"whm {userPart}:root");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var log = server.Log.AllText;
        Assert.DoesNotContain(good.PlaintextToken[8..20], log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(good.PlaintextToken[20..], log, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("(redacted,", log, StringComparison.Ordinal);

        // Ordinary user names are still logged, so an operator can tell who failed.
        await server.GetAsync("/json-api/listaccts", $"whm reseller_2:{good.PlaintextToken}");
        Assert.Contains("for user reseller_2 ", server.Log.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RightButRefusedSecret_AndWrongSecret_TakeTheSamePath_ForACachedToken()
    {
        await using var server = await WhmTestServer.StartAsync();
        var root = server.Accounts.Add("root", "all");
        var fenced = await server.CreateTokenAsync(root, "fenced", whitelist: ["10.0.0.0/8"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.GetAsync("/json-api/listaccts", "root", fenced.PlaintextToken)).StatusCode);
        server.Hasher.Reset();
        server.Store.ResetCounts();

        // Right secret, refused for its address: answered from the cache.
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.GetAsync("/json-api/listaccts", "root", fenced.PlaintextToken)).StatusCode);
        var rightPath = (server.Hasher.VerifyCalls, server.Store.Reads);

        // Wrong secret for the same selector: also answered from the cache, no store read, no Argon2.
        var wrong = fenced.PlaintextToken[..8] + new string('K', 24);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.GetAsync("/json-api/listaccts", "root", wrong)).StatusCode);
        var wrongPath = (server.Hasher.VerifyCalls - rightPath.VerifyCalls, server.Store.Reads - rightPath.Reads);

        Assert.Equal((0, 0), rightPath);
        Assert.Equal((0, 0), wrongPath);
    }
}
