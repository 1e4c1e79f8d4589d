using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using ApiTokens.Redis.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApiTokens.Redis.Tests;

/// <summary>
/// Leak revocation on two real nodes (Kestrel, separate containers and caches) sharing one store and one Redis: a leak reported
/// to node A is refused by node B, which had the token cached, within one second (docs/leaked-tokens.md); without Redis, B trusts
/// its cached entry until the cache lifetime ends.
/// </summary>
public sealed class LeakTwoNodeTests
{
    private const string ReportPath = "/api-tokens/leaked";
    private const string ListAccts = "/json-api/listaccts";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1);

    [SkippableFact]
    public async Task LeakReportedToA_IsRefusedByB_WithinOneSecond()
    {
        var redis = RedisEnvironment.SharedRedis();
        await using var nodes = await LeakNodes.StartAsync(redis);
        var root = nodes.Accounts.Add("root", "all");
        var token = await nodes.A.CreateTokenAsync(root, "ci", ["list-accts"]);
        await WarmAsync(nodes.B, "root", token.PlaintextToken);

        Assert.Equal(HttpStatusCode.Accepted, await ReportAsync(nodes.A, token.PlaintextToken));

        await PollUntilRefusedAsync(nodes.B, "root", token.PlaintextToken);
        Assert.Equal(HttpStatusCode.Unauthorized, await TryAsync(nodes.A, "root", token.PlaintextToken));
    }

    [SkippableFact]
    public async Task LeakedPreviousValueReportedToA_IsRefusedByB_WithinOneSecond_WhileTheNewValueWorksOnB()
    {
        var redis = RedisEnvironment.SharedRedis();
        await using var nodes = await LeakNodes.StartAsync(redis);
        var root = nodes.Accounts.Add("root", "all");
        var created = await nodes.A.CreateTokenAsync(root, "ci", ["list-accts"]);
        var rotated = await nodes.A.Manager.RotateAsync(root.Id, "ci", TimeSpan.FromHours(1));
        Assert.True(rotated.Succeeded, rotated.Error?.Message);
        await WarmAsync(nodes.B, "root", created.PlaintextToken); // the old value, in its grace period, cached on B
        await WarmAsync(nodes.B, "root", rotated.Value.PlaintextToken);

        Assert.Equal(HttpStatusCode.Accepted, await ReportAsync(nodes.A, created.PlaintextToken));

        await PollUntilRefusedAsync(nodes.B, "root", created.PlaintextToken);
        Assert.Equal(HttpStatusCode.OK, await TryAsync(nodes.B, "root", rotated.Value.PlaintextToken));
    }

    [Fact]
    public async Task WithoutBackplane_LeakReportedToA_IsStillAcceptedByB_UntilTheCacheLifetimeEnds()
    {
        await using var nodes = await LeakNodes.StartAsync(redis: null);
        var root = nodes.Accounts.Add("root", "all");
        var token = await nodes.A.CreateTokenAsync(root, "ci", ["list-accts"]);
        await WarmAsync(nodes.B, "root", token.PlaintextToken);

        Assert.Equal(HttpStatusCode.Accepted, await ReportAsync(nodes.A, token.PlaintextToken));

        Assert.Equal(HttpStatusCode.Unauthorized, await TryAsync(nodes.A, "root", token.PlaintextToken));
        Assert.Equal(HttpStatusCode.OK, await TryAsync(nodes.B, "root", token.PlaintextToken));
        nodes.B.Time.Advance(nodes.B.Services.GetRequiredService<IOptions<ApiTokenOptions>>().Value.Cache.Lifetime);
        Assert.Equal(HttpStatusCode.Unauthorized, await TryAsync(nodes.B, "root", token.PlaintextToken));
    }

    private static async Task<HttpStatusCode> ReportAsync(ApiTokensTestHost node, params string[] values)
    {
        using var content = new StringContent(JsonSerializer.Serialize(values), Encoding.UTF8, "application/json");
        using var response = await node.Client.PostAsync(new Uri(ReportPath, UriKind.Relative), content);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> TryAsync(ApiTokensTestHost node, string user, string token)
    {
        using var response = await node.GetAsync(ListAccts, user, token);
        return response.StatusCode;
    }

    /// <summary>The token answers 200 and a second request is served from the node's cache (no Argon2 run).</summary>
    private static async Task WarmAsync(ApiTokensTestHost node, string user, string token)
    {
        Assert.Equal(HttpStatusCode.OK, await TryAsync(node, user, token));
        var before = node.Hasher.VerifyCalls;
        Assert.Equal(HttpStatusCode.OK, await TryAsync(node, user, token));
        Assert.Equal(before, node.Hasher.VerifyCalls);
    }

    private static async Task PollUntilRefusedAsync(ApiTokensTestHost node, string user, string token)
    {
        var clock = Stopwatch.StartNew();
        HttpStatusCode last;
        do
        {
            last = await TryAsync(node, user, token);
            if (last == HttpStatusCode.Unauthorized)
            {
                return;
            }
        }
        while (clock.Elapsed < Within);

        Assert.Fail($"Node B still answered {(int)last} {clock.Elapsed.TotalMilliseconds:F0} ms after the leak was reported to A.");
    }

    /// <summary>Two nodes on one store and one set of accounts; only A maps the leak endpoint; with Redis they share a fresh channel.</summary>
    private sealed class LeakNodes : IAsyncDisposable
    {
        private LeakNodes(InMemoryAccountProvider accounts, ApiTokensTestHost a, ApiTokensTestHost b)
        {
            Accounts = accounts;
            A = a;
            B = b;
        }

        public InMemoryAccountProvider Accounts { get; }

        public ApiTokensTestHost A { get; }

        public ApiTokensTestHost B { get; }

        public static async Task<LeakNodes> StartAsync(string? redis)
        {
            var store = new InMemoryApiTokenStore();
            var accounts = new InMemoryAccountProvider();
            var channel = $"apitokens:test:{Guid.NewGuid():N}";
            var a = await StartNodeAsync(store, accounts, redis, channel, mapLeaks: true);
            try
            {
                var b = await StartNodeAsync(store, accounts, redis, channel, mapLeaks: false);
                var nodes = new LeakNodes(accounts, a, b);
                if (redis is not null)
                {
                    await WaitUntilConnectedAsync(a);
                    await WaitUntilConnectedAsync(b);
                }

                return nodes;
            }
            catch
            {
                await a.DisposeAsync();
                throw;
            }
        }

        private static Task<ApiTokensTestHost> StartNodeAsync(
            InMemoryApiTokenStore store, InMemoryAccountProvider accounts, string? redis, string channel, bool mapLeaks)
        {
            var builder = new ApiTokensTestHostBuilder()
                .UseAccounts(b =>
                {
                    b.Services.AddSingleton(accounts);
                    b.AddInMemoryAccounts();
                })
                .UseStore(b =>
                {
                    b.Services.AddSingleton(store);
                    b.AddInMemoryStore();
                })
                .ConfigureApp(app =>
                {
                    if (mapLeaks)
                    {
                        app.MapLeakedTokenRevocation(ReportPath);
                    }

                    app.MapGet(ListAccts, () => "accounts").RequirePrivilege("list-accts");
                });
            if (redis is not null)
            {
                builder.ConfigureApiTokens(b => b.AddRedisBackplane(redis, o =>
                {
                    o.ChannelName = channel;
                    o.ProbeInterval = TimeSpan.FromMilliseconds(200);
                }));
            }

            return builder.StartAsync();
        }

        private static async Task WaitUntilConnectedAsync(ApiTokensTestHost node)
        {
            var backplane = node.Services.GetRequiredService<RedisApiTokenBackplane>();
            var clock = Stopwatch.StartNew();
            while (backplane.IsDegraded)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "The backplane did not connect within 15 s.");
                await Task.Delay(20);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
        }
    }
}
