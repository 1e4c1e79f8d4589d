using System.Net;
using System.Security.Claims;
using ApiTokens.Authentication;
using ApiTokens.Tests.NegativeCache;
using ApiTokens.Whm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Busy;

/// <summary>Light Argon2 whose verifications wait at a gate the test opens (new hashes, at create, never wait).</summary>
internal sealed class GatedHasher : IApiTokenHasher
{
    private readonly Argon2ApiTokenHasher _inner = new(CountingHasher.TestParameters);
    private int _verifies;

    /// <summary>Set when a verification has started (it then waits for <see cref="Open"/>).</summary>
    public ManualResetEventSlim Entered { get; } = new();

    /// <summary>Verifications run while this is set.</summary>
    public ManualResetEventSlim Open { get; } = new(true);

    public int Verifies => Volatile.Read(ref _verifies);

    public string Hash(string secret) => _inner.Hash(secret);

    public HashVerificationResult Verify(string hash, ReadOnlySpan<char> secret)
    {
        Interlocked.Increment(ref _verifies);
        Entered.Set();
        Open.Wait(TimeSpan.FromSeconds(30));
        return _inner.Verify(hash, secret);
    }
}

/// <summary>
/// A Kestrel test host with one Argon2 worker, a 200 ms queue timeout and a <see cref="GatedHasher"/>, so a test can hold the
/// only worker and see what a request that cannot get one is answered: a host route (<c>/whoami</c>), the WHM token API
/// (<c>/json-api/api_token_list</c>) and a WHM function with an API 0 shape (<c>/json-api/listpkgs</c>).
/// </summary>
internal sealed class BusyHost : IAsyncDisposable
{
    private BusyHost(ApiTokensTestHost host, GatedHasher hasher)
    {
        Host = host;
        Hasher = hasher;
    }

    public ApiTokensTestHost Host { get; }

    public GatedHasher Hasher { get; }

    public LookupCountingStore Store => Host.Services.GetRequiredService<LookupCountingStore>();

    public ApiTokenAccount Root => Host.Accounts.FindByUserNameAsync("root", CancellationToken.None).AsTask().Result!;

    public static async Task<BusyHost> StartAsync(Action<ApiTokensTestHostBuilder>? configure = null)
    {
        var hasher = new GatedHasher();
        var builder = new ApiTokensTestHostBuilder()
            .SeedAccounts(a => a.Add("root", "all"))
            .ConfigureOptions(o =>
            {
                o.Verification.MaxConcurrentHashes = 1;
                o.Verification.HashQueueTimeout = TimeSpan.FromMilliseconds(200);
            })
            .WrapStore((_, inner) => new LookupCountingStore(inner))
            .ConfigureServices(s => s
                .AddSingleton<IApiTokenHasher>(hasher)
                .AddSingleton(sp => (LookupCountingStore)sp.GetRequiredService<IApiTokenStore>()))
            .ConfigureApp(app =>
            {
                app.MapGet("/whoami", (ClaimsPrincipal user) => Results.Text(user.Identity!.Name)).RequireAuthorization();
                app.MapWhmTokenApi();
                app.MapWhmFunction("listpkgs", WhmApi0Shape.Status, (_, _) => Task.FromResult(WhmApiResult.Success("listpkgs", "Ok", w =>
                {
                    w.WriteStartArray("pkg");
                    w.WriteEndArray();
                }))).RequirePrivilege("list-pkgs");
            });
        configure?.Invoke(builder);
        return new BusyHost(await builder.StartAsync(), hasher);
    }

    public string RandomToken() => Host.Services.GetRequiredService<ApiTokenFormat>().Generate().Value;

    /// <summary>
    /// Holds the only Argon2 worker with a first request for <paramref name="token"/> (not cached yet) until the returned
    /// release runs; the returned task is that request's answer.
    /// </summary>
    public (Task<HttpResponseMessage> Holder, Action Release) HoldTheWorker(CreatedApiToken token)
    {
        Hasher.Entered.Reset();
        Hasher.Open.Reset();
        var holder = Host.GetAsync("/whoami", "whm root:" + token.PlaintextToken);
        Assert.True(Hasher.Entered.Wait(TimeSpan.FromSeconds(30)), "The first verification never started.");
        return (holder, () => Hasher.Open.Set());
    }

    public async Task<Answer> GetAsync(string path, string authorization)
    {
        using var response = await Host.GetAsync(path, authorization);
        return new Answer(
            response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : null,
            response.Headers.WwwAuthenticate.Count > 0,
            await response.Content.ReadAsStringAsync());
    }

    public ValueTask DisposeAsync()
    {
        Hasher.Open.Set();
        return Host.DisposeAsync();
    }

    internal sealed record Answer(HttpStatusCode Status, string? MediaType, int? RetryAfterSeconds, bool Challenged, string Body);
}
