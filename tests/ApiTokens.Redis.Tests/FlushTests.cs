using System.Diagnostics;
using System.Net;
using ApiTokens.Redis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Redis.Tests;

/// <summary><see cref="RedisApiTokenBackplane.FlushAsync"/>: true once what was queued reached Redis, false when the timeout passes first.</summary>
public sealed class FlushTests
{
    private const string ListAccts = "/json-api/listaccts";

    [Fact]
    public async Task FlushAsync_WhileRedisIsUnreachable_IsFalseWhenTheTimeoutPasses()
    {
        var clock = new FakeTimeProvider();
        await using var node = await StartUnreachableAsync(clock);
        await node.Notifier.AccountChangedAsync("acct-1", CancellationToken.None);

        var flushed = node.Backplane.FlushAsync(TimeSpan.FromSeconds(5));
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(flushed.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.False(await flushed);
        Assert.True(node.Backplane.IsDegraded);
    }

    [Fact]
    public async Task FlushAsync_WithNothingQueued_IsTrueAtOnce_EvenWhileDegraded()
    {
        await using var node = await StartUnreachableAsync(new FakeTimeProvider());

        Assert.True(await node.Backplane.FlushAsync(TimeSpan.FromSeconds(5)));
        Assert.True(node.Backplane.IsDegraded);
    }

    [Fact]
    public async Task FlushAsync_Cancelled_Throws()
    {
        await using var node = await StartUnreachableAsync(new FakeTimeProvider());
        await node.Notifier.AccountChangedAsync("acct-1", CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var flushed = node.Backplane.FlushAsync(TimeSpan.FromMinutes(1), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flushed);
    }

    [SkippableFact]
    public async Task FlushAsync_WithRedisUp_IsTrue_AndTheOtherNodeHasTheChange()
    {
        await using var nodes = await TwoNodes.StartAsync(RedisEnvironment.SharedRedis());
        await nodes.WaitUntilConnectedAsync();
        var root = nodes.Accounts.Add("root", "all");
        var token = await nodes.A.CreateTokenAsync(root, "t", ["list-accts"]);
        await nodes.B.WarmAsync(ListAccts, "root", token.PlaintextToken);
        Assert.True((await nodes.A.WithManagerAsync(m => m.RevokeAsync(root.Id, "t"))).Value);

        Assert.True(await nodes.A.Backplane!.FlushAsync(TimeSpan.FromSeconds(5)));

        await nodes.B.PollUntilAsync(ListAccts, "root", token.PlaintextToken, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1));
    }

    [SkippableFact]
    public async Task FlushAsync_WithRedisDown_IsFalseWithinTheTimeout_AndTheChangeGoesOutWhenRedisReturns()
    {
        await using var redis = await RedisServerProcess.StartNewAsync();
        await using var nodes = await TwoNodes.StartAsync(redis.Configuration);
        await nodes.WaitUntilConnectedAsync();
        var root = nodes.Accounts.Add("root", "all");
        var token = await nodes.A.CreateTokenAsync(root, "t", ["list-accts"]);
        Assert.True(await nodes.A.Backplane!.FlushAsync(TimeSpan.FromSeconds(10))); // the create's own notice goes out first
        await redis.StopAsync();
        await nodes.A.WaitForDegradedAsync(true, TimeSpan.FromSeconds(30));
        Assert.True((await nodes.A.WithManagerAsync(m => m.RevokeAsync(root.Id, "t"))).Value);

        var clock = Stopwatch.StartNew();
        var flushed = await nodes.A.Backplane!.FlushAsync(TimeSpan.FromMilliseconds(500));
        clock.Stop();

        Assert.False(flushed);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(3));

        // Still queued: once Redis is back it is published (the recovery line counts it), and a flush then says so.
        await redis.StartAsync();
        Assert.True(await nodes.A.Backplane.FlushAsync(TimeSpan.FromSeconds(30)));

        // The recovery line is written after the link opens, so a flush can finish first: wait for it, bounded.
        static bool Recovered(CapturingLoggerProvider.LogLine l) => l.EventId == 6002 && l.Message.Contains(" 1 held-back", StringComparison.Ordinal);
        for (var waited = Stopwatch.StartNew(); !nodes.A.Log.Lines.Any(Recovered) && waited.Elapsed < TimeSpan.FromSeconds(10);)
        {
            await Task.Delay(20);
        }

        Assert.Contains(nodes.A.Log.Lines, l => Recovered(l));
        await nodes.WaitUntilConnectedAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await nodes.B.GetAsync(ListAccts, "root", token.PlaintextToken));
    }

    /// <summary>One backplane, never started as a web app, pointed at a port where nothing listens.</summary>
    private static async Task<UnreachableNode> StartUnreachableAsync(FakeTimeProvider clock)
    {
        var services = new ServiceCollection();
        services.AddApiTokens().AddInMemoryStore().AddInMemoryAccounts()
            .AddRedisBackplane("127.0.0.1:1,connectTimeout=200", o => o.Clock = clock);
        var provider = services.BuildServiceProvider();
        var backplane = provider.GetRequiredService<RedisApiTokenBackplane>();
        await backplane.StartAsync(CancellationToken.None);
        return new UnreachableNode(provider, backplane, provider.GetRequiredService<IApiTokenChangeNotifier>());
    }

    private sealed record UnreachableNode(ServiceProvider Provider, RedisApiTokenBackplane Backplane, IApiTokenChangeNotifier Notifier) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Backplane.StopAsync(CancellationToken.None);
            await Provider.DisposeAsync();
        }
    }
}
