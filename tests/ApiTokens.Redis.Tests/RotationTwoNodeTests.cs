using System.Diagnostics;
using System.Net;
using ApiTokens.Redis.Tests.Infrastructure;

namespace ApiTokens.Redis.Tests;

/// <summary>
/// A rotation on node A seen by node B, which had the old value cached (two real nodes, one store, one Redis): without a grace
/// period B refuses the old value within the documented second; with one, B keeps accepting it until the grace end and then
/// refuses it, though its cache lifetime is longer than the grace period.
/// </summary>
public sealed class RotationTwoNodeTests
{
    private const string ListAccts = "/json-api/listaccts";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    private static async Task<(TwoNodes Nodes, ApiTokenAccount Root, string Old)> WarmAsync()
    {
        // A cache entry lives longer than the grace period: only the grace end can stop a cached old value.
        var nodes = await TwoNodes.StartAsync(RedisEnvironment.SharedRedis(), configure: o => o.Cache.Lifetime = TimeSpan.FromHours(2));
        await nodes.WaitUntilConnectedAsync();
        var root = nodes.Accounts.Add("root", "all");
        var old = (await nodes.A.CreateTokenAsync(root, "deploy", ["list-accts"])).PlaintextToken;
        await nodes.B.WarmAsync(ListAccts, "root", old);
        return (nodes, root, old);
    }

    [SkippableFact]
    public async Task RotatedOnAWithoutAGracePeriod_TheOldValueIsRefusedByB_WithinOneSecond_AndTheNewOneWorksThere()
    {
        var (nodes, root, old) = await WarmAsync();
        await using var _ = nodes;

        var rotated = await nodes.A.WithManagerAsync(m => m.RotateAsync(root.Id, "deploy", TimeSpan.Zero));
        Assert.True(rotated.Succeeded, rotated.Error?.Message);

        await nodes.B.PollUntilAsync(ListAccts, "root", old, HttpStatusCode.Unauthorized, Within);
        Assert.Equal(HttpStatusCode.OK, await nodes.B.GetAsync(ListAccts, "root", rotated.Value.PlaintextToken));
    }

    [SkippableFact]
    public async Task RotatedOnAWithAGracePeriod_BKeepsAcceptingTheOldValueUntilTheGraceEnds_ThenRefusesIt()
    {
        var (nodes, root, old) = await WarmAsync();
        await using var _ = nodes;

        var rotated = await nodes.A.WithManagerAsync(m => m.RotateAsync(root.Id, "deploy", Grace));
        Assert.True(rotated.Succeeded, rotated.Error?.Message);

        // B hears of the change (its entry goes stale, so the old value is read again, now as the previous value: event 1501),
        // and accepts it all along.
        var clock = Stopwatch.StartNew();
        while (nodes.B.Log.Count(1501) == 0)
        {
            Assert.Equal(HttpStatusCode.OK, await nodes.B.GetAsync(ListAccts, "root", old));
            Assert.True(clock.Elapsed < Within, $"Node B did not drop its cached entry within {Within.TotalMilliseconds:F0} ms of the rotation.");
        }

        Assert.Equal(HttpStatusCode.OK, await nodes.B.GetAsync(ListAccts, "root", old));
        Assert.Equal(HttpStatusCode.OK, await nodes.B.GetAsync(ListAccts, "root", rotated.Value.PlaintextToken));
        nodes.B.Time.Advance(Grace - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await nodes.B.GetAsync(ListAccts, "root", old));

        nodes.B.Time.Advance(TimeSpan.FromSeconds(1));
        var before = nodes.B.Hasher.VerifyCalls;

        Assert.Equal(HttpStatusCode.Unauthorized, await nodes.B.GetAsync(ListAccts, "root", old));
        Assert.Equal(before, nodes.B.Hasher.VerifyCalls); // refused from its cache entry, with no Argon2
        Assert.Equal(HttpStatusCode.OK, await nodes.B.GetAsync(ListAccts, "root", rotated.Value.PlaintextToken));
    }
}
