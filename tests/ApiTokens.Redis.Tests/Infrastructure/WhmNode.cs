using System.Diagnostics;
using System.Net;
using ApiTokens.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using IConnectionMultiplexer = StackExchange.Redis.IConnectionMultiplexer;

namespace ApiTokens.Redis.Tests.Infrastructure;

/// <summary>
/// One node of the app: a real Kestrel server on loopback with its own DI container, verify cache and fake clock,
/// sharing the token store and the accounts (one database) with the other nodes.
/// </summary>
public sealed class WhmNode : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);

    private readonly WebApplication _app;

    private WhmNode(string name, WebApplication app, HttpClient client, FakeTimeProvider time, CountingHasher hasher, CapturingLoggerProvider log)
    {
        Name = name;
        _app = app;
        Client = client;
        Time = time;
        Hasher = hasher;
        Log = log;
    }

    public string Name { get; }

    public HttpClient Client { get; }

    public FakeTimeProvider Time { get; }

    public CountingHasher Hasher { get; }

    public CapturingLoggerProvider Log { get; }

    public IServiceProvider Services => _app.Services;

    public ApiTokenCacheControl Cache => _app.Services.GetRequiredService<ApiTokenCacheControl>();

    /// <summary>The configured cache lifetime (<c>ApiTokens:Cache:Lifetime</c>): how long an entry is trusted when Redis is up.</summary>
    public TimeSpan CacheLifetime => _app.Services.GetRequiredService<IOptions<ApiTokenOptions>>().Value.Cache.Lifetime;

    public RedisApiTokenBackplane? Backplane => _app.Services.GetService<RedisApiTokenBackplane>();

    /// <summary>Starts a node; <paramref name="redis"/> null means no backplane (each node only has its own cache).</summary>
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
        var time = new FakeTimeProvider(Start);
        var hasher = new CountingHasher();
        var log = new CapturingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(log).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IApiTokenHasher>(hasher);

        // One database: the same store and account instances in every node's container, or one PostgreSQL database.
        builder.Services.AddSingleton(accounts);
        var apiTokens = builder.Services.AddApiTokens(o => configure?.Invoke(o)).AddInMemoryAccounts();
        if (postgres is null)
        {
            builder.Services.AddSingleton(store);
            apiTokens.AddInMemoryStore();
        }
        else
        {
            apiTokens.AddEntityFrameworkStore(o => o.UseNpgsql(postgres));
        }

        void ConfigureBackplane(RedisBackplaneOptions o)
        {
            o.ProbeInterval = TimeSpan.FromMilliseconds(200);
            configureBackplane?.Invoke(o);
        }

        // On the token services' builder, as an app does; AddWhmTokens comes after on purpose: the backplane survives it.
        if (connection is not null)
        {
            apiTokens.AddRedisBackplane(connection, ConfigureBackplane);
        }
        else if (redis is not null)
        {
            apiTokens.AddRedisBackplane(redis, ConfigureBackplane);
        }

        builder.Services.AddAuthentication(WhmTokenDefaults.AuthenticationScheme).AddWhmTokens();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/json-api/listaccts", () => "accounts").RequirePrivilege("list-accts");
        app.MapGet("/json-api/createacct", () => "created").RequirePrivilege("create-acct");
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address) };
        return new WhmNode(name, app, client, time, hasher, log);
    }

    /// <summary>Runs <paramref name="action"/> with a manager from a fresh scope, as a request would.</summary>
    public async Task<T> WithManagerAsync<T>(Func<ApiTokenManager, Task<T>> action)
    {
        using var scope = _app.Services.CreateScope();
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
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", $"whm {user}:{token}");
        using var response = await Client.SendAsync(request);
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

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
