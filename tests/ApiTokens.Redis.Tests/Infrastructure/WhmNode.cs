using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using IConnectionMultiplexer = StackExchange.Redis.IConnectionMultiplexer;

namespace ApiTokens.Redis.Tests.Infrastructure;

/// <summary>
/// One node of the app: the shared <see cref="ApiTokensTestHost"/> (a real Kestrel server on loopback with its own DI
/// container, verify cache and fake clock), sharing the token store and the accounts (one database) with the other nodes,
/// with the backplane plugged in on the token services' builder as an app does.
/// </summary>
public sealed class WhmNode : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = ApiTokensTestHostBuilder.DefaultStart;

    private WhmNode(string name, ApiTokensTestHost host)
    {
        Name = name;
        Host = host;
    }

    public string Name { get; }

    public ApiTokensTestHost Host { get; }

    public HttpClient Client => Host.Client;

    public FakeTimeProvider Time => Host.Time;

    public CountingHasher Hasher => Host.Hasher;

    public CapturingLoggerProvider Log => Host.Log;

    public IServiceProvider Services => Host.Services;

    public ApiTokenCacheControl Cache => Services.GetRequiredService<ApiTokenCacheControl>();

    /// <summary>The configured cache lifetime (<c>ApiTokens:Cache:Lifetime</c>): how long an entry is trusted when Redis is up.</summary>
    public TimeSpan CacheLifetime => Services.GetRequiredService<IOptions<ApiTokenOptions>>().Value.Cache.Lifetime;

    public RedisApiTokenBackplane? Backplane => Services.GetService<RedisApiTokenBackplane>();

    /// <summary>Starts a node; <paramref name="redis"/> null (and no <paramref name="connection"/>) means no backplane (each node only has its own cache).</summary>
    public static async Task<WhmNode> StartAsync(
        string name,
        InMemoryApiTokenStore store,
        InMemoryAccountProvider accounts,
        string? redis,
        Action<RedisBackplaneOptions>? configureBackplane = null,
        Action<ApiTokenOptions>? configure = null,
        IConnectionMultiplexer? connection = null,
        string? postgres = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(accounts);

        // One database: the same store and account instances in every node's container (registered as instances, so no
        // node disposes them), or one PostgreSQL database.
        var builder = new ApiTokensTestHostBuilder()
            .UseAccounts(b =>
            {
                b.Services.AddSingleton(accounts);
                b.AddInMemoryAccounts();
            })
            .UseStore(b =>
            {
                if (postgres is null)
                {
                    b.Services.AddSingleton(store);
                    b.AddInMemoryStore();
                }
                else
                {
                    b.AddEntityFrameworkStore(o => o.UseNpgsql(postgres));
                }
            })
            .ConfigureApp(app =>
            {
                app.MapGet("/json-api/listaccts", () => "accounts").RequirePrivilege("list-accts");
                app.MapGet("/json-api/createacct", () => "created").RequirePrivilege("create-acct");
            });
        if (configure is not null)
        {
            builder.ConfigureOptions(configure);
        }

        void ConfigureBackplane(RedisBackplaneOptions o)
        {
            o.ProbeInterval = TimeSpan.FromMilliseconds(200);
            configureBackplane?.Invoke(o);
        }

        // On the token services' builder, as an app does; the host adds the whm scheme after it: the backplane survives that.
        if (connection is not null)
        {
            builder.ConfigureApiTokens(b => b.AddRedisBackplane(connection, ConfigureBackplane));
        }
        else if (redis is not null)
        {
            builder.ConfigureApiTokens(b => b.AddRedisBackplane(redis, ConfigureBackplane));
        }

        return new WhmNode(name, await builder.StartAsync());
    }

    /// <summary>Runs <paramref name="action"/> with a manager from a fresh scope, as a request would.</summary>
    public async Task<T> WithManagerAsync<T>(Func<ApiTokenManager, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ApiTokenManager>());
    }

    public async Task<CreatedApiToken> CreateTokenAsync(ApiTokenAccount owner, string name, string[]? acls = null)
    {
        var result = await WithManagerAsync(m => m.CreateAsync(owner.Id, new ApiTokenCreateRequest { Name = name, Acls = acls }));
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }

    public async Task<HttpStatusCode> GetAsync(string path, string user, string token)
    {
        using var response = await Host.GetAsync(path, user, token);
        return response.StatusCode;
    }

    /// <summary>
    /// Asserts the token answers 200 and that a second request is served from the cache (no Argon2 verification):
    /// the token is warm on this node.
    /// </summary>
    public async Task WarmAsync(string path, string user, string token)
    {
        Assert.Equal(HttpStatusCode.OK, await GetAsync(path, user, token));
        var before = Hasher.VerifyCalls;
        Assert.Equal(HttpStatusCode.OK, await GetAsync(path, user, token));
        Assert.Equal(before, Hasher.VerifyCalls);
    }

    /// <summary>Polls until <paramref name="path"/> answers <paramref name="expected"/>; fails after <paramref name="within"/>.</summary>
    public async Task<TimeSpan> PollUntilAsync(string path, string user, string token, HttpStatusCode expected, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        HttpStatusCode last;
        do
        {
            last = await GetAsync(path, user, token);
            if (last == expected)
            {
                return clock.Elapsed;
            }
        }
        while (clock.Elapsed < within);

        Assert.Fail($"Node {Name} still answered {(int)last} to {path} {clock.Elapsed.TotalMilliseconds:F0} ms after the change (expected {(int)expected} within {within.TotalMilliseconds:F0} ms).");
        return clock.Elapsed;
    }

    /// <summary>Waits (real time, bounded) until the backplane's degraded state is <paramref name="degraded"/>.</summary>
    public async Task WaitForDegradedAsync(bool degraded, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (Backplane!.IsDegraded != degraded)
        {
            if (clock.Elapsed > within)
            {
                Assert.Fail($"Node {Name}: the backplane did not become {(degraded ? "degraded" : "healthy")} within {within.TotalSeconds:F0} s.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits (real time, bounded) until <paramref name="count"/> entries with <paramref name="eventId"/> are logged.</summary>
    public async Task WaitForLogAsync(int eventId, TimeSpan within, int count = 1)
    {
        var clock = Stopwatch.StartNew();
        while (Log.Count(eventId) < count)
        {
            if (clock.Elapsed > within)
            {
                Assert.Fail($"Node {Name}: nothing with event id {eventId} was logged within {within.TotalSeconds:F0} s.");
            }

            await Task.Delay(20);
        }
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
