using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ApiTokens.Redis.Internal;
using ApiTokens.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace ApiTokens.Redis.Tests;

/// <summary>What else travels on the channel: other apps' changes, heartbeats and garbage.</summary>
public sealed class ChannelTests
{
    private const string ListAccts = "/json-api/listaccts";

    [SkippableFact]
    public async Task TwoAppsOnOneRedis_WithTheirOwnChannels_DoNotClearEachOthersCaches()
    {
        var redis = RedisEnvironment.SharedRedis();
        await using var first = await TwoNodes.StartAsync(redis);
        await using var second = await TwoNodes.StartAsync(redis);
        await first.WaitUntilConnectedAsync();
        await second.WaitUntilConnectedAsync();
        var firstRoot = first.Accounts.Add("root", "all");
        var secondRoot = second.Accounts.Set(new ApiTokens.ApiTokenAccount(firstRoot.Id, "root", isSuspended: false, ["all"]));
        var firstToken = await first.A.CreateTokenAsync(firstRoot, "t", ["list-accts"]);
        var secondToken = await second.A.CreateTokenAsync(secondRoot, "t", ["list-accts"]);
        await first.B.WarmAsync(ListAccts, "root", firstToken.PlaintextToken);
        await second.B.WarmAsync(ListAccts, "root", secondToken.PlaintextToken);

        Assert.True((await first.A.WithManagerAsync(m => m.RevokeAsync(firstRoot.Id, "t"))).Value);
        await first.B.PollUntilAsync(ListAccts, "root", firstToken.PlaintextToken, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1));

        // The second app, same account id and token name on another channel, still answers from its cache.
        var verifications = second.B.Hasher.VerifyCalls;
        Assert.Equal(HttpStatusCode.OK, await second.B.GetAsync(ListAccts, "root", secondToken.PlaintextToken));
        Assert.Equal(verifications, second.B.Hasher.VerifyCalls);
    }

    [SkippableFact]
    public async Task GarbageOnTheChannel_IsIgnored_AndChangesStillPropagate()
    {
        var redis = RedisEnvironment.SharedRedis();
        var channel = $"apitokens:test:{Guid.NewGuid():N}";
        await using var nodes = await TwoNodes.StartAsync(redis, o => o.ChannelName = channel);
        await nodes.WaitUntilConnectedAsync();
        var root = nodes.Accounts.Add("root", "all");
        var token = await nodes.A.CreateTokenAsync(root, "t", ["list-accts"]);
        await nodes.B.WarmAsync(ListAccts, "root", token.PlaintextToken);

        await using (var other = await ConnectionMultiplexer.ConnectAsync(redis))
        {
            var subscriber = other.GetSubscriber();
            foreach (var garbage in new[] { "not json", "{}", "{\"n\":\"x\",\"k\":\"unknown\"}", "{\"n\":\"x\",\"k\":\"account\"}", "[1,2]" })
            {
                await subscriber.PublishAsync(RedisChannel.Literal(channel), garbage);
            }
        }

        // Received and ignored: logged, and the cached token is still served without a verification.
        await nodes.B.WaitForLogAsync(6006, TimeSpan.FromSeconds(5), count: 5);
        var verifications = nodes.B.Hasher.VerifyCalls;
        Assert.Equal(HttpStatusCode.OK, await nodes.B.GetAsync(ListAccts, "root", token.PlaintextToken));
        Assert.Equal(verifications, nodes.B.Hasher.VerifyCalls);

        Assert.True((await nodes.A.WithManagerAsync(m => m.RevokeAsync(root.Id, "t"))).Value);
        await nodes.B.PollUntilAsync(ListAccts, "root", token.PlaintextToken, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1));
        Assert.False(nodes.B.Backplane!.IsDegraded);
    }

    [SkippableFact]
    public async Task Heartbeats_TravelAsProbesCarryingNoAccount_AndTheOtherNodeTakesNoneForAChange()
    {
        var redis = RedisEnvironment.SharedRedis();
        var channel = $"apitokens:test:{Guid.NewGuid():N}";
        await using var nodes = await TwoNodes.StartAsync(redis, o => o.ChannelName = channel);
        await nodes.WaitUntilConnectedAsync();
        var root = nodes.Accounts.Add("root", "all");
        var token = await nodes.A.CreateTokenAsync(root, "t", ["list-accts"]);
        await nodes.B.WarmAsync(ListAccts, "root", token.PlaintextToken);
        var verifications = nodes.B.Hasher.VerifyCalls;

        // Listen as a third party would: once connected, what the nodes send unprompted is their heartbeats.
        var heard = new ConcurrentQueue<byte[]>();
        await using var listener = await ConnectionMultiplexer.ConnectAsync(redis);
        await listener.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel), (_, value) => heard.Enqueue((byte[])value!));
        var clock = Stopwatch.StartNew();
        while (Count(heard, nodes.A.Backplane!.NodeId) < 3 || Count(heard, nodes.B.Backplane!.NodeId) < 3)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"{heard.Count} messages heard in 15 s, not three heartbeats from each node.");
            await Task.Delay(50);
        }

        // A probe with an id and nothing else: every version of the backplane ignores another node's probe.
        foreach (var payload in heard)
        {
            using var json = JsonDocument.Parse(payload);
            Assert.Equal(["n", "k", "p"], json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(RedisBackplaneMessage.Probe, RedisBackplaneMessage.Parse(payload)?.Kind);
        }

        // B heard A's heartbeats all along and still answers from its cache, without a verification or a log line.
        Assert.Equal(HttpStatusCode.OK, await nodes.B.GetAsync(ListAccts, "root", token.PlaintextToken));
        Assert.Equal(verifications, nodes.B.Hasher.VerifyCalls);
        Assert.Equal(0, nodes.B.Log.Count(6006));
        Assert.Equal(0, nodes.B.Log.Count(6001));
        Assert.False(nodes.B.Backplane!.IsDegraded);

        static int Count(ConcurrentQueue<byte[]> heard, string node) =>
            heard.Count(p => RedisBackplaneMessage.Parse(p) is { Kind: RedisBackplaneMessage.Probe } m && m.Node == node);
    }

    [SkippableFact]
    public async Task ATokenMessageFromAnOlderNode_DropsThatAccountsCachedTokens()
    {
        var redis = RedisEnvironment.SharedRedis();
        var channel = $"apitokens:test:{Guid.NewGuid():N}";
        await using var nodes = await TwoNodes.StartAsync(redis, o => o.ChannelName = channel);
        await nodes.WaitUntilConnectedAsync();
        var root = nodes.Accounts.Add("root", "all");
        var token = await nodes.A.CreateTokenAsync(root, "t", ["list-accts"]);
        await nodes.B.WarmAsync(ListAccts, "root", token.PlaintextToken);

        // Suspended behind the nodes' backs: B still trusts its cached entry ...
        nodes.Accounts.Update(root.Id, isSuspended: true);
        Assert.Equal(HttpStatusCode.OK, await nodes.B.GetAsync(ListAccts, "root", token.PlaintextToken));

        // ... until an older node announces a token change of that account (the kind and selector nodes no longer send).
        await using (var older = await ConnectionMultiplexer.ConnectAsync(redis))
        {
            var legacy = $"{{\"n\":\"older-node\",\"k\":\"token\",\"a\":\"{root.Id}\",\"s\":\"abcdef\"}}";
            await older.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), legacy);
        }

        await nodes.B.PollUntilAsync(ListAccts, "root", token.PlaintextToken, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1));
        Assert.Equal(0, nodes.B.Log.Count(6006));
    }

    [SkippableFact]
    public async Task NodeOnTheAppsOwnConnection_ReceivesAndSendsChanges_AndLeavesTheConnectionOpen()
    {
        var redis = RedisEnvironment.SharedRedis();
        var channel = $"apitokens:test:{Guid.NewGuid():N}";
        await using var appConnection = await ConnectionMultiplexer.ConnectAsync(redis);
        var store = new ApiTokens.InMemoryApiTokenStore();
        var accounts = new ApiTokens.InMemoryAccountProvider();
        await using var a = await WhmNode.StartAsync("A", store, accounts, redis, o => o.ChannelName = channel);
        var b = await WhmNode.StartAsync("B", store, accounts, redis: null, o => o.ChannelName = channel, connection: appConnection);
        try
        {
            await a.WaitForDegradedAsync(false, TimeSpan.FromSeconds(15));
            await b.WaitForDegradedAsync(false, TimeSpan.FromSeconds(15));
            var root = accounts.Add("root", "all");
            var first = await a.CreateTokenAsync(root, "first", ["list-accts"]);
            var second = await a.CreateTokenAsync(root, "second", ["list-accts"]);
            await a.WarmAsync(ListAccts, "root", second.PlaintextToken);
            await b.WarmAsync(ListAccts, "root", first.PlaintextToken);

            Assert.True((await a.WithManagerAsync(m => m.RevokeAsync(root.Id, "first"))).Value);
            await b.PollUntilAsync(ListAccts, "root", first.PlaintextToken, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1));
            Assert.True((await b.WithManagerAsync(m => m.RevokeAsync(root.Id, "second"))).Value);
            await a.PollUntilAsync(ListAccts, "root", second.PlaintextToken, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1));
        }
        finally
        {
            await b.DisposeAsync();
        }

        // The app's connection is the app's: stopping the node did not close it.
        Assert.True(appConnection.IsConnected);
        Assert.True((await appConnection.GetDatabase().PingAsync()) >= TimeSpan.Zero);
    }
}
