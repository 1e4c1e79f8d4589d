using System.Diagnostics;
using System.Net;
using ApiTokens.Redis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace ApiTokens.Redis.Tests;

/// <summary>
/// Redis frozen under two real nodes (SIGSTOP on this test's own redis-server: every connection stays open, nothing is
/// answered or delivered). No connection event fires and nothing fails at once, so only the heartbeat can tell: a token
/// revoked on A must stop working on B within <see cref="RedisBackplaneOptions.DegradedCacheLifetime"/> plus the
/// heartbeat's detection, and both nodes must come back once Redis is thawed.
/// </summary>
public sealed class FrozenRedisTests(ITestOutputHelper output)
{
    private const string ListAccts = "/json-api/listaccts";
    private const int DegradedWarning = 6001;
    private const int Recovered = 6002;
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task RedisFrozen_TokenRevokedOnA_IsRefusedByB_WithinTheDegradedLifetimePlusDetection_AndBothRecoverWhenThawed()
    {
        RedisEnvironment.Require(!OperatingSystem.IsWindows(), "freezing redis-server needs kill -STOP (Linux or macOS).");
        await using var redis = await RedisServerProcess.StartNewAsync();
        await using var nodes = await TwoNodes.StartAsync(redis.Configuration);
        await nodes.WaitUntilConnectedAsync();
        var options = nodes.B.Services.GetRequiredService<IOptions<RedisBackplaneOptions>>().Value;
        var detection = options.HeartbeatInterval + options.HeartbeatTimeout;
        var bound = options.DegradedCacheLifetime + detection;
        var root = nodes.Accounts.Add("root", "all");
        var revoked = await nodes.A.CreateTokenAsync(root, "revoked-while-frozen", ["list-accts"]);
        var kept = await nodes.A.CreateTokenAsync(root, "kept", ["list-accts"]);
        await nodes.B.WarmAsync(ListAccts, "root", revoked.PlaintextToken);

        TimeSpan refusedAfter;
        TimeSpan? degradedAfter = null;
        var thaw = new Stopwatch();
        await redis.FreezeAsync();
        try
        {
            var frozen = Stopwatch.StartNew();
            Assert.True((await nodes.A.WithManagerAsync(m => m.RevokeAsync(root.Id, "revoked-while-frozen"))).Value);
            Assert.Equal(HttpStatusCode.Unauthorized, await nodes.A.GetAsync(ListAccts, "root", revoked.PlaintextToken));

            // From here B's cache ages as the test's real clock runs: the entry is as old as the freeze.
            var cachedAt = nodes.B.Time.GetUtcNow();
            HttpStatusCode last;
            do
            {
                nodes.B.Time.SetUtcNow(cachedAt + frozen.Elapsed);
                degradedAfter ??= nodes.B.Backplane!.IsDegraded ? frozen.Elapsed : null;
                last = await nodes.B.GetAsync(ListAccts, "root", revoked.PlaintextToken);
                if (last != HttpStatusCode.OK)
                {
                    break;
                }

                await Task.Delay(20);
            }
            while (frozen.Elapsed < bound);

            refusedAfter = frozen.Elapsed;
            output.WriteLine(
                $"Redis frozen: B degraded after {degradedAfter?.TotalMilliseconds ?? double.NaN:F0} ms, refused the token revoked on A " +
                $"after {refusedAfter.TotalMilliseconds:F0} ms (bound {bound.TotalMilliseconds:F0} ms = DegradedCacheLifetime + heartbeat interval + timeout)");
            Assert.True(
                last == HttpStatusCode.Unauthorized,
                $"B still answered {(int)last} {refusedAfter.TotalMilliseconds:F0} ms into the freeze (bound {bound.TotalMilliseconds:F0} ms).");
            Assert.True(nodes.B.Backplane!.IsDegraded);
            Assert.Equal(options.DegradedCacheLifetime, nodes.B.Cache.MaxEntryAge);

            // A token nobody changed keeps working on B: a hung Redis never fails a request.
            Assert.Equal(HttpStatusCode.OK, await nodes.B.GetAsync(ListAccts, "root", kept.PlaintextToken));
            await nodes.A.WaitForDegradedAsync(true, Reconnect);
        }
        finally
        {
            await redis.ThawAsync();
            thaw.Start();
        }

        // One line each on entering degraded mode, naming the heartbeat.
        var warning = Assert.Single(nodes.B.Log.Lines, l => l.EventId == DegradedWarning);
        Assert.Contains("heartbeat", warning.Message, StringComparison.Ordinal);
        Assert.Equal(1, nodes.A.Log.Count(DegradedWarning));

        // Thawed: this node's own probe comes back, the cache is cleared (it may have missed changes), the lifetime restored.
        await nodes.A.WaitForDegradedAsync(false, Reconnect);
        await nodes.B.WaitForDegradedAsync(false, Reconnect);
        output.WriteLine($"Redis thawed: both nodes recovered {thaw.Elapsed.TotalMilliseconds:F0} ms later");
        Assert.Equal(1, nodes.A.Log.Count(Recovered));
        Assert.Equal(1, nodes.B.Log.Count(Recovered));
        Assert.Equal(nodes.B.CacheLifetime, nodes.B.Cache.MaxEntryAge);

        await nodes.B.WarmAsync(ListAccts, "root", kept.PlaintextToken);
        Assert.True((await nodes.A.WithManagerAsync(m => m.RevokeAsync(root.Id, "kept"))).Value);
        await nodes.B.PollUntilAsync(ListAccts, "root", kept.PlaintextToken, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1));
        Assert.Equal(1, nodes.B.Log.Count(DegradedWarning));
    }
}
