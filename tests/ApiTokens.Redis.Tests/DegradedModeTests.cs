using System.Diagnostics;
using System.Net;
using ApiTokens.Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ApiTokens.Redis.Tests;

/// <summary>
/// Redis stopped and started under two real nodes (this test's own redis-server, never the shared one): requests
/// keep succeeding, staleness stays within <see cref="RedisBackplaneOptions.DegradedCacheLifetime"/>, one warning
/// per outage, and propagation works again once Redis is back.
/// </summary>
public sealed class DegradedModeTests(ITestOutputHelper output)
{
    private const string ListAccts = "/json-api/listaccts";
    private const int DegradedWarning = 6001;
    private const int Recovered = 6002;
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task RedisStopped_RequestsSucceed_StalenessStaysWithinTheDegradedBound_AndPropagationResumesWhenItReturns()
    {
        await using var redis = await RedisServerProcess.StartNewAsync();
        await using var nodes = await TwoNodes.StartAsync(redis.Configuration);
        await nodes.WaitUntilConnectedAsync();
        var bound = nodes.B.CacheLifetime > TimeSpan.FromSeconds(5) ? TimeSpan.FromSeconds(5) : nodes.B.CacheLifetime;
        var root = nodes.Accounts.Add("root", "all");
        var revokedDuringOutage = await nodes.A.CreateTokenAsync(root, "revoked-during-outage", ["list-accts"]);
        var kept = await nodes.A.CreateTokenAsync(root, "kept", ["list-accts"]);
        var neverCached = await nodes.A.CreateTokenAsync(root, "never-cached", ["list-accts"]);
        await nodes.B.WarmAsync(ListAccts, "root", revokedDuringOutage.PlaintextToken);
        await nodes.B.WarmAsync(ListAccts, "root", kept.PlaintextToken);

        var outage = Stopwatch.StartNew();
        await redis.StopAsync();
        await nodes.A.WaitForDegradedAsync(true, Reconnect);
        await nodes.B.WaitForDegradedAsync(true, Reconnect);
        output.WriteLine($"Redis killed: both nodes degraded after {outage.Elapsed.TotalMilliseconds:F0} ms");

        // A Redis outage never fails a request, cached or not, nor a management call.
        Assert.Equal(HttpStatusCode.OK, await nodes.B.GetAsync(ListAccts, "root", kept.PlaintextToken));
        Assert.Equal(HttpStatusCode.OK, await nodes.B.GetAsync(ListAccts, "root", neverCached.PlaintextToken));
        Assert.True((await nodes.A.WithManagerAsync(m => m.RevokeAsync(root.Id, "revoked-during-outage"))).Value);
        Assert.Equal(HttpStatusCode.Unauthorized, await nodes.A.GetAsync(ListAccts, "root", revokedDuringOutage.PlaintextToken));

        // B cannot hear about it: its entry is stale but trusted only up to the degraded bound.
        Assert.Equal(bound, nodes.B.Cache.MaxEntryAge);
        Assert.Equal(HttpStatusCode.OK, await nodes.B.GetAsync(ListAccts, "root", revokedDuringOutage.PlaintextToken));
        nodes.B.Time.Advance(bound);
        Assert.Equal(HttpStatusCode.Unauthorized, await nodes.B.GetAsync(ListAccts, "root", revokedDuringOutage.PlaintextToken));
        Assert.Equal(HttpStatusCode.OK, await nodes.B.GetAsync(ListAccts, "root", kept.PlaintextToken));

        // One warning per node for the whole outage, however many probes and connection events.
        Assert.Equal(1, nodes.A.Log.Count(DegradedWarning));
        Assert.Equal(1, nodes.B.Log.Count(DegradedWarning));
        Assert.Equal(0, nodes.B.Log.Count(Recovered));

        var restart = Stopwatch.StartNew();
        await redis.StartAsync();
        await nodes.WaitUntilConnectedAsync();
        output.WriteLine($"Redis restarted: both nodes recovered {restart.Elapsed.TotalMilliseconds:F0} ms after redis-server was started");
        Assert.Equal(1, nodes.A.Log.Count(Recovered));

        // The revocation A could not publish during the outage went out when Redis returned.
        Assert.Contains(nodes.A.Log.Lines, l => l.EventId == Recovered && l.Message.Contains(" 1 held-back", StringComparison.Ordinal));
        Assert.Equal(1, nodes.B.Log.Count(Recovered));
        Assert.Equal(nodes.B.CacheLifetime, nodes.B.Cache.MaxEntryAge);

        await nodes.B.WarmAsync(ListAccts, "root", kept.PlaintextToken);
        Assert.True((await nodes.A.WithManagerAsync(m => m.RevokeAsync(root.Id, "kept"))).Value);
        await nodes.B.PollUntilAsync(ListAccts, "root", kept.PlaintextToken, HttpStatusCode.Unauthorized, Within);
    }

    [SkippableFact]
    public async Task AppStartedWhileRedisIsDown_ServesRequestsDegraded_AndPropagatesOnceRedisStarts()
    {
        await using var redis = RedisServerProcess.Reserve();
        await using var nodes = await TwoNodes.StartAsync(redis.Configuration);
        await nodes.A.WaitForLogAsync(DegradedWarning, Reconnect);
        await nodes.B.WaitForLogAsync(DegradedWarning, Reconnect);
        Assert.True(nodes.A.Backplane!.IsDegraded);
        Assert.True(nodes.B.Backplane!.IsDegraded);
        var root = nodes.Accounts.Add("root", "all");
        var token = await nodes.A.CreateTokenAsync(root, "t", ["list-accts"]);

        Assert.Equal(HttpStatusCode.OK, await nodes.A.GetAsync(ListAccts, "root", token.PlaintextToken));
        Assert.Equal(HttpStatusCode.OK, await nodes.B.GetAsync(ListAccts, "root", token.PlaintextToken));
        Assert.Equal(TimeSpan.FromSeconds(5), nodes.B.Cache.MaxEntryAge);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, Assert.Single(nodes.B.Log.Lines, l => l.EventId == DegradedWarning).Level);

        var start = Stopwatch.StartNew();
        await redis.StartAsync();
        await nodes.WaitUntilConnectedAsync();
        output.WriteLine($"Redis started after the app: both nodes connected {start.Elapsed.TotalMilliseconds:F0} ms later");
        await nodes.B.WarmAsync(ListAccts, "root", token.PlaintextToken);
        Assert.True((await nodes.A.WithManagerAsync(m => m.RevokeAsync(root.Id, "t"))).Value);

        await nodes.B.PollUntilAsync(ListAccts, "root", token.PlaintextToken, HttpStatusCode.Unauthorized, Within);
    }
}
