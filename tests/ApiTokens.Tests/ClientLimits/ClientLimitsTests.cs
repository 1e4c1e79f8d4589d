using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.ClientLimits;

/// <summary>
/// Failed-authentication limits per client address (issue 15, item 2), on real Kestrel behind forwarded headers: after
/// <c>MaxFailures</c> refused credentials within the window the address gets 429 with <c>Retry-After</c> for <c>BlockFor</c>, with
/// no store read and no Argon2, problem+json on host routes and a WHM answer on WHM routes; a token this node already proved keeps
/// working; other addresses never notice; IPv6 counts per /64.
/// </summary>
public sealed class ClientLimitsTests
{
    private const string Attacker = "203.0.113.7";
    private const string Neighbour = "198.51.100.20";

    private static string Whm(string token) => "whm root:" + token;

    [Fact]
    public async Task RefusedCredentials_BlockTheirAddress_With429AndRetryAfter_BeforeAnyStoreReadOrArgon2()
    {
        await using var host = await ClientLimitsHost.StartAsync();
        var valid = await host.Host.CreateTokenAsync(host.Root, "valid");
        var wrongSecret = valid.PlaintextToken[..8] + host.RandomToken()[8..];

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/whoami", "whm nobody:" + host.RandomToken(), Attacker)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/whoami", Whm(host.RandomToken()), Attacker)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/whoami", Whm(wrongSecret), Attacker)).Status);
        host.Store.Reset();
        host.Host.Hasher.Reset();

        var blocked = await host.GetAsync("/whoami", Whm(valid.PlaintextToken), Attacker);

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.Status);
        Assert.Equal(15 * 60, blocked.RetryAfterSeconds);
        Assert.False(blocked.Challenged);
        Assert.Equal("application/problem+json", blocked.MediaType);
        Assert.Equal(429, (int)JsonNode.Parse(blocked.Body)!["status"]!);
        Assert.Equal(Messages.ClientBlocked, (string?)JsonNode.Parse(blocked.Body)!["detail"]);
        Assert.Equal((0, 0), (host.Store.Lookups, host.Host.Hasher.VerifyCalls));
        var line = Assert.Single(host.Host.Log.Lines, l => l.EventId == 1901);
        Assert.Contains(Attacker, line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(valid.PlaintextToken, string.Join('\n', host.Host.Log.Lines.Select(l => l.Message)), StringComparison.Ordinal);

        // Anything else from it, a malformed header too, is the same 429.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.GetAsync("/whoami", "whm root", Attacker)).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.GetAsync("/whoami", Whm(host.RandomToken()), Attacker)).Status);
    }

    [Fact]
    public async Task OnAWhmRoute_TheBlock_IsA429WhmAnswer_NotCpsrvdsAccessDenied()
    {
        await using var host = await ClientLimitsHost.StartAsync();
        var valid = await host.Host.CreateTokenAsync(host.Root, "valid");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await host.GetAsync("/json-api/api_token_list", Whm(host.RandomToken()), Attacker)).Status);
        }

        var blocked = await host.GetAsync("/json-api/api_token_list", Whm(valid.PlaintextToken), Attacker);

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.Status);
        Assert.Equal(15 * 60, blocked.RetryAfterSeconds);
        Assert.Equal(
            $$$"""{"metadata":{"command":"api_token_list","version":1,"result":0,"reason":"{{{Messages.ClientBlocked}}}"},"data":{}}""",
            blocked.Body);
    }

    [Fact]
    public async Task OtherAddresses_AreNotAffected_WhileOneIsBlocked()
    {
        await using var host = await ClientLimitsHost.StartAsync();
        var valid = await host.Host.CreateTokenAsync(host.Root, "valid");
        for (var i = 0; i < 3; i++)
        {
            await host.GetAsync("/whoami", Whm(host.RandomToken()), Attacker);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.GetAsync("/whoami", Whm(valid.PlaintextToken), Attacker)).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", Whm(valid.PlaintextToken), Neighbour)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/whoami", Whm(host.RandomToken()), Neighbour)).Status);
    }

    [Fact]
    public async Task ATokenAlreadyProvenInTheCache_KeepsWorkingFromABlockedAddress_ButNothingElseDoes()
    {
        await using var host = await ClientLimitsHost.StartAsync();
        var cached = await host.Host.CreateTokenAsync(host.Root, "cached");
        var uncached = await host.Host.CreateTokenAsync(host.Root, "uncached");
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", Whm(cached.PlaintextToken), Attacker)).Status);
        for (var i = 0; i < 3; i++)
        {
            await host.GetAsync("/whoami", Whm(host.RandomToken()), Attacker);
        }

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", Whm(cached.PlaintextToken), Attacker)).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.GetAsync("/whoami", Whm(uncached.PlaintextToken), Attacker)).Status);
        var wrongForCached = cached.PlaintextToken[..8] + host.RandomToken()[8..];
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.GetAsync("/whoami", Whm(wrongForCached), Attacker)).Status);
    }

    [Fact]
    public async Task TheBlock_EndsAfterBlockFor_AndItsEndIsLogged()
    {
        await using var host = await ClientLimitsHost.StartAsync(o => o.BlockFor = TimeSpan.FromMinutes(5));
        var valid = await host.Host.CreateTokenAsync(host.Root, "valid");
        for (var i = 0; i < 3; i++)
        {
            await host.GetAsync("/whoami", Whm(host.RandomToken()), Attacker);
        }

        host.Host.Time.Advance(TimeSpan.FromMinutes(4));
        var later = await host.GetAsync("/whoami", Whm(valid.PlaintextToken), Attacker);
        Assert.Equal((HttpStatusCode.TooManyRequests, 60), (later.Status, later.RetryAfterSeconds!.Value));
        Assert.DoesNotContain(host.Host.Log.Lines, l => l.EventId == 1902);

        host.Host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", Whm(valid.PlaintextToken), Attacker)).Status);
        Assert.Contains(Attacker, Assert.Single(host.Host.Log.Lines, l => l.EventId == 1902).Message, StringComparison.Ordinal);

        // Its count starts again from zero.
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/whoami", Whm(host.RandomToken()), Attacker)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/whoami", Whm(host.RandomToken()), Attacker)).Status);
    }

    [Fact]
    public async Task Failures_CountInAFixedWindow_ThatStartsAgainOnceItHasPassed()
    {
        await using var host = await ClientLimitsHost.StartAsync();
        var valid = await host.Host.CreateTokenAsync(host.Root, "valid");
        var second = await host.Host.CreateTokenAsync(host.Root, "second");

        await host.GetAsync("/whoami", Whm(host.RandomToken()), Attacker);
        await host.GetAsync("/whoami", Whm(host.RandomToken()), Attacker);
        host.Host.Time.Advance(TimeSpan.FromMinutes(1));
        await host.GetAsync("/whoami", Whm(host.RandomToken()), Attacker);
        await host.GetAsync("/whoami", Whm(host.RandomToken()), Attacker);

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", Whm(valid.PlaintextToken), Attacker)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/whoami", Whm(host.RandomToken()), Attacker)).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.GetAsync("/whoami", Whm(second.PlaintextToken), Attacker)).Status);
    }

    [Fact]
    public async Task Successes_AndTokensRefusedAfterTheirSecretWasProven_DoNotCount()
    {
        await using var host = await ClientLimitsHost.StartAsync();
        var valid = await host.Host.CreateTokenAsync(host.Root, "valid");
        var expiring = await host.Host.CreateTokenAsync(host.Root, "expiring", expiresAt: host.Host.Time.GetUtcNow().AddMinutes(1));
        var elsewhere = await host.Host.CreateTokenAsync(host.Root, "elsewhere", whitelist: ["192.0.2.1"]);
        host.Host.Time.Advance(TimeSpan.FromMinutes(2));

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", Whm(valid.PlaintextToken), Attacker)).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/whoami", Whm(expiring.PlaintextToken), Attacker)).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/whoami", Whm(elsewhere.PlaintextToken), Attacker)).Status);
        }

        host.Host.Services.GetRequiredService<VerifyCache>().Clear();
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", Whm(valid.PlaintextToken), Attacker)).Status);
        Assert.DoesNotContain(host.Host.Log.Lines, l => l.EventId == 1901);
    }

    [Fact]
    public async Task AStoreOutage_DoesNotCount_AndIsA503()
    {
        await using var host = await ClientLimitsHost.StartAsync();
        var valid = await host.Host.CreateTokenAsync(host.Root, "valid");
        host.Store.Down = true;
        for (var i = 0; i < 5; i++)
        {
            var down = await host.GetAsync("/whoami", Whm(valid.PlaintextToken), Attacker);
            Assert.Equal((HttpStatusCode.ServiceUnavailable, 5), (down.Status, down.RetryAfterSeconds!.Value));
        }

        host.Store.Down = false;
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", Whm(valid.PlaintextToken), Attacker)).Status);
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::99", "2001:db8:1:3::1")]
    [InlineData("203.0.113.9", "::ffff:203.0.113.9", "203.0.113.9", "203.0.113.10")]
    public async Task AnIPv6Client_IsItsSlash64_AndAnIPv4MappedAddress_IsItsIPv4(string first, string second, string sameClient, string otherClient)
    {
        await using var host = await ClientLimitsHost.StartAsync();
        var valid = await host.Host.CreateTokenAsync(host.Root, "valid");
        await host.GetAsync("/whoami", Whm(host.RandomToken()), first);
        await host.GetAsync("/whoami", Whm(host.RandomToken()), second);
        await host.GetAsync("/whoami", Whm(host.RandomToken()), first);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.GetAsync("/whoami", Whm(valid.PlaintextToken), sameClient)).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", Whm(valid.PlaintextToken), otherClient)).Status);
    }

    [Fact]
    public async Task IPv6PrefixLength_128_CountsEachAddress()
    {
        await using var host = await ClientLimitsHost.StartAsync(o => o.IPv6PrefixLength = 128);
        var valid = await host.Host.CreateTokenAsync(host.Root, "valid");
        for (var i = 0; i < 3; i++)
        {
            await host.GetAsync("/whoami", Whm(host.RandomToken()), "2001:db8:1:2::1");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.GetAsync("/whoami", Whm(valid.PlaintextToken), "2001:db8:1:2::1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", Whm(valid.PlaintextToken), "2001:db8:1:2::2")).Status);
    }

    [Fact]
    public async Task Loopback_IsExemptByDefault_AndLimitedWhenNotExempt()
    {
        await using (var exempt = await ClientLimitsHost.StartAsync())
        {
            var valid = await exempt.Host.CreateTokenAsync(exempt.Root, "valid");
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await exempt.GetAsync("/whoami", Whm(exempt.RandomToken()), client: null)).Status);
            }

            Assert.Equal(HttpStatusCode.OK, (await exempt.GetAsync("/whoami", Whm(valid.PlaintextToken), client: null)).Status);
        }

        await using var counted = await ClientLimitsHost.StartAsync(o => o.ExemptLoopback = false);
        var token = await counted.Host.CreateTokenAsync(counted.Root, "valid");
        for (var i = 0; i < 3; i++)
        {
            await counted.GetAsync("/whoami", Whm(counted.RandomToken()), client: null);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await counted.GetAsync("/whoami", Whm(token.PlaintextToken), client: null)).Status);
    }

    [Fact]
    public async Task BehindAProxyWhoseForwardedHeadersAreNotSetUp_TheLogSaysSoOnce()
    {
        await using var host = await ClientLimitsHost.StartAsync(forwardedHeaders: false);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/whoami", Whm(host.RandomToken()), Attacker)).Status);
        }

        var line = Assert.Single(host.Host.Log.Lines, l => l.EventId == 1904);
        Assert.Contains("UseForwardedHeaders", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabled_NeverBlocks()
    {
        await using var host = await ClientLimitsHost.StartAsync(o => o.Enabled = false);
        var valid = await host.Host.CreateTokenAsync(host.Root, "valid");
        for (var i = 0; i < 10; i++)
        {
            await host.GetAsync("/whoami", Whm(host.RandomToken()), Attacker);
        }

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", Whm(valid.PlaintextToken), Attacker)).Status);
    }
}
