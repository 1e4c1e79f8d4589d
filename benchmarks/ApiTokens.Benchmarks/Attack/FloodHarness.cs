using System.Diagnostics;
using System.Globalization;
using System.Net;
using ApiTokens.Authentication;
using ApiTokens.Benchmarks.Infrastructure;
using ApiTokens.EntityFrameworkCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Benchmarks.Attack;

/// <summary>
/// Two floods, each run twice in one process, with and without the defence it measures (issue 15, items 2 and 3):
/// <list type="bullet">
/// <item>random well-formed tokens for a real user from 16 workers, on the in-memory store and on the EF Core store over a real
/// SQLite file: store queries (token lookups and listings) and account reads per second, negative lookups off vs on;</item>
/// <item>wrong secrets for a real, uncached selector from one address (8 workers) while a legitimate client on another address
/// makes cached requests, on both stores: that client's p50/p99 quiet and during the flood, and what the flood costs (Argon2
/// runs, store queries), client limits off vs on. The flood is a closed loop: a cheaper refusal lets it send more.</item>
/// </list>
/// Argon2 at the library's default parameters; the handler is driven through <see cref="IAuthenticationService"/>, as
/// <see cref="AttackHarness"/> does.
/// </summary>
public static class FloodHarness
{
    private const string Attacker = "203.0.113.7";
    private const string Legitimate = "198.51.100.1";

    public static async Task<int> RunAsync(TextWriter output, bool quick)
    {
        var seconds = quick ? 3 : 10;
        output.WriteLine($"# flood harness: Argon2 at default parameters, {Environment.ProcessorCount} cores, {seconds} s per flood");
        foreach (var sqlite in new[] { false, true })
        {
            foreach (var negative in new[] { false, true })
            {
                await RandomTokenFloodAsync(output, seconds, sqlite, negative).ConfigureAwait(false);
            }
        }

        foreach (var sqlite in new[] { false, true })
        {
            foreach (var limits in new[] { false, true })
            {
                await WrongSecretFloodAsync(output, seconds, sqlite, limits).ConfigureAwait(false);
            }
        }

        return 0;
    }

    private static async Task RandomTokenFloodAsync(TextWriter output, int seconds, bool sqlite, bool negativeLookups)
    {
        using var host = await FloodHost.CreateAsync(clientLimits: false, sqlite).ConfigureAwait(false);
        host.Cache.Negative.Lifetime = negativeLookups ? NegativeLookupCache.DefaultLifetime : TimeSpan.Zero;
        host.ResetCounts();
        var requests = 0L;
        var started = Stopwatch.GetTimestamp();
        var end = started + (seconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var result = await host.AuthenticateAsync($"whm {AuthHost.UserName}:{host.Format.Generate().Value}", IPAddress.Loopback).ConfigureAwait(false);
                if (result.Succeeded)
                {
                    throw new InvalidOperationException("A random token authenticated.");
                }

                Interlocked.Increment(ref requests);
            }
        })).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var name = $"random-token-flood {(sqlite ? "sqlite" : "in-memory")} negative-lookups-{(negativeLookups ? "on" : "off")}";
        Line(output, name, string.Create(CultureInfo.InvariantCulture,
            $"requests={requests} requests_per_s={requests / elapsed:F0} store_queries={host.Store.Queries} store_queries_per_s={host.Store.Queries / elapsed:F1} account_reads_per_s={host.Accounts.Reads / elapsed:F1} argon2_runs={host.Hasher.VerifyCalls}"));
    }

    private static async Task WrongSecretFloodAsync(TextWriter output, int seconds, bool sqlite, bool clientLimits)
    {
        using var host = await FloodHost.CreateAsync(clientLimits, sqlite).ConfigureAwait(false);
        var legit = $"whm {AuthHost.UserName}:{host.Legitimate}";
        AuthHost.EnsureSucceeded(await host.AuthenticateAsync(legit, IPAddress.Parse(Legitimate)).ConfigureAwait(false), "legitimate");
        _ = await MeasureAsync(host, legit, TimeSpan.FromSeconds(1)).ConfigureAwait(false); // warm-up (JIT tiers)
        var quiet = await MeasureAsync(host, legit, TimeSpan.FromSeconds(Math.Max(1, seconds / 2))).ConfigureAwait(false);

        var selector = host.Target[..host.Format.Options.SelectorLength];
        var attacker = IPAddress.Parse(Attacker);
        host.ResetCounts();
        long attempts = 0, blocked = 0;
        var end = Stopwatch.GetTimestamp() + (seconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var wrong = selector + host.Format.Generate().Value[selector.Length..];
                var context = FloodHost.CreateContext($"whm {AuthHost.UserName}:{wrong}", attacker);
                var result = await host.AuthenticateAsync(context).ConfigureAwait(false);
                if (result.Succeeded)
                {
                    throw new InvalidOperationException("A wrong secret authenticated.");
                }

                Interlocked.Increment(ref attempts);
                if (WhmFailureNote.Find(context)?.Reason == ApiTokenFailureReason.ClientBlocked)
                {
                    Interlocked.Increment(ref blocked);
                }
            }
        })).ToArray();

        var started = Stopwatch.GetTimestamp();
        var flood = await MeasureAsync(host, legit, TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var name = $"wrong-secret-flood-one-address {(sqlite ? "sqlite" : "in-memory")} client-limits-{(clientLimits ? "on" : "off")}";
        Line(output, name, string.Create(CultureInfo.InvariantCulture,
            $"attempts={attempts} attempts_per_s={attempts / elapsed:F0} answered_429={blocked} argon2_runs={host.Hasher.VerifyCalls} store_queries_per_s={host.Store.Queries / elapsed:F1}"));
        Line(output, name + " legit-cached-quiet", quiet.ToString());
        Line(output, name + " legit-cached-during-flood", flood.ToString());
        Line(output, name + " legit-p99-ratio", string.Create(CultureInfo.InvariantCulture, $"{flood.P99 / quiet.P99:F2}x (during flood / quiet)"));
    }

    private static async Task<Latency> MeasureAsync(FloodHost host, string header, TimeSpan duration)
    {
        var address = IPAddress.Parse(Legitimate);
        var samples = new List<double>(100_000);
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            var start = Stopwatch.GetTimestamp();
            var result = await host.AuthenticateAsync(header, address).ConfigureAwait(false);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            AuthHost.EnsureSucceeded(result, "legitimate request");
        }

        samples.Sort();
        return new Latency(samples.Count, samples[samples.Count / 2], samples[(int)(samples.Count * 0.99)], samples[^1]);
    }

    private static void Line(TextWriter output, string figure, string value) => output.WriteLine($"flood {figure}: {value}");

    private readonly record struct Latency(int Requests, double P50, double P99, double Max)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"requests={Requests} p50_us={P50:F1} p99_us={P99:F1} max_us={Max:F1}");
    }

    /// <summary>
    /// The core with the whm scheme, in-memory accounts and an in-memory or SQLite (EF Core, a temp file) store, each behind a
    /// counter; root with two tokens.
    /// </summary>
    private sealed class FloodHost : IDisposable
    {
        private readonly ServiceProvider _provider;
        private readonly IServiceScopeFactory _scopes;
        private readonly string? _path;

        private FloodHost(ServiceProvider provider, CountingHasher hasher, string? path)
        {
            _provider = provider;
            _path = path;
            _scopes = provider.GetRequiredService<IServiceScopeFactory>();
            Hasher = hasher;
            Store = provider.GetRequiredService<QueryCounter>();
            Accounts = provider.GetRequiredService<ReadCountingAccounts>();
            Cache = provider.GetRequiredService<VerifyCache>();
            Format = provider.GetRequiredService<ApiTokenFormat>();
        }

        public CountingHasher Hasher { get; }

        public QueryCounter Store { get; }

        public ReadCountingAccounts Accounts { get; }

        internal VerifyCache Cache { get; }

        public ApiTokenFormat Format { get; }

        /// <summary>The legitimate client's token (cached after its first use).</summary>
        public string Legitimate { get; private set; } = string.Empty;

        /// <summary>The attacked token (never used, so never cached).</summary>
        public string Target { get; private set; } = string.Empty;

        public static async Task<FloodHost> CreateAsync(bool clientLimits, bool sqlite)
        {
            var hasher = new CountingHasher(HashParameters.Default);
            IServiceCollection services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton<IApiTokenHasher>(hasher);
            var tokens = services.AddApiTokens(o =>
            {
                o.Hashing = HashParameters.Default;
                o.ClientLimits.Enabled = clientLimits;
            }).AddInMemoryAccounts(a => a.Add(AuthHost.UserName, "all"));
            var path = sqlite ? Path.Combine(Path.GetTempPath(), $"apitokens-flood-{Guid.NewGuid():N}.db") : null;
            if (path is null)
            {
                tokens.AddInMemoryStore();
            }
            else
            {
                tokens.AddEntityFrameworkStore(o => o.UseSqlite($"Data Source={path}"));
            }

            // Every store call the verifier makes goes through the counter, whatever the store's lifetime.
            var inner = services.Last(d => d.ServiceType == typeof(IApiTokenStore));
            services.Remove(inner);
            services.AddSingleton<QueryCounter>();
            services.Add(ServiceDescriptor.Describe(
                typeof(IApiTokenStore),
                sp => new QueryCountingStore(Create(sp, inner), sp.GetRequiredService<QueryCounter>()),
                inner.Lifetime));
            services.AddSingleton(sp => new ReadCountingAccounts(sp.GetRequiredService<InMemoryAccountProvider>()));
            services.AddSingleton<IApiTokenAccountProvider>(sp => sp.GetRequiredService<ReadCountingAccounts>());
            services.AddAuthentication(AuthHost.Whm).AddWhmTokens();
            var host = new FloodHost(services.BuildServiceProvider(), hasher, path);

            await using var scope = host._scopes.CreateAsyncScope();
            if (path is not null)
            {
                await scope.ServiceProvider.GetRequiredService<ApiTokensDbContext>().Database.EnsureApiTokensCreatedAsync().ConfigureAwait(false);
            }

            var manager = scope.ServiceProvider.GetRequiredService<ApiTokenManager>();
            var root = await host._provider.GetRequiredService<InMemoryAccountProvider>().FindByUserNameAsync(AuthHost.UserName, CancellationToken.None).ConfigureAwait(false);
            host.Legitimate = (await manager.CreateAsync(root!.Id, new ApiTokenCreateRequest { Name = "legitimate" }).ConfigureAwait(false)).Value!.PlaintextToken;
            host.Target = (await manager.CreateAsync(root.Id, new ApiTokenCreateRequest { Name = "target" }).ConfigureAwait(false)).Value!.PlaintextToken;
            return host;
        }

        public static DefaultHttpContext CreateContext(string authorization, IPAddress address)
        {
            var context = AuthHost.CreateContext(authorization);
            context.Connection.RemoteIpAddress = address;
            return context;
        }

        public Task<AuthenticateResult> AuthenticateAsync(string authorization, IPAddress address) => AuthenticateAsync(CreateContext(authorization, address));

        public async Task<AuthenticateResult> AuthenticateAsync(HttpContext context)
        {
            await using var scope = _scopes.CreateAsyncScope();
            context.RequestServices = scope.ServiceProvider;
            return await scope.ServiceProvider.GetRequiredService<IAuthenticationService>().AuthenticateAsync(context, AuthHost.Whm).ConfigureAwait(false);
        }

        public void ResetCounts()
        {
            Store.Reset();
            Accounts.Reset();
            Hasher.Reset();
        }

        public void Dispose()
        {
            _provider.Dispose();
            if (_path is not null)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                File.Delete(_path);
            }
        }

        private static IApiTokenStore Create(IServiceProvider services, ServiceDescriptor descriptor) =>
            descriptor.ImplementationInstance as IApiTokenStore
            ?? (IApiTokenStore?)descriptor.ImplementationFactory?.Invoke(services)
            ?? (IApiTokenStore)ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);
    }

    /// <summary>How many token lookups (by selector) and listings the verifier made.</summary>
    private sealed class QueryCounter
    {
        private long _queries;

        public long Queries => Interlocked.Read(ref _queries);

        public void Add() => Interlocked.Increment(ref _queries);

        public void Reset() => Interlocked.Exchange(ref _queries, 0);
    }

    /// <summary>Counts the verifier's token lookups (by selector) and listings into a <see cref="QueryCounter"/>.</summary>
    private sealed class QueryCountingStore(IApiTokenStore inner, QueryCounter counter) : IApiTokenStore
    {
        public Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken) => inner.CreateAsync(token, cancellationToken);

        public Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken)
        {
            counter.Add();
            return inner.FindBySelectorAsync(accountId, selector, cancellationToken);
        }

        public Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken) => inner.FindByNameAsync(accountId, name, cancellationToken);

        public Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken)
        {
            counter.Add();
            return inner.ListAsync(accountId, query, cancellationToken);
        }

        public Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken) =>
            inner.UpdateAsync(token, expectedConcurrencyStamp, cancellationToken);

        public Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken) => inner.DeleteAsync(accountId, tokenId, cancellationToken);

        public Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken) => inner.DeleteAllAsync(accountId, cancellationToken);
    }

    /// <summary>Counts account reads.</summary>
    private sealed class ReadCountingAccounts(InMemoryAccountProvider inner) : IApiTokenAccountProvider
    {
        private long _reads;

        public long Reads => Interlocked.Read(ref _reads);

        public void Reset() => Interlocked.Exchange(ref _reads, 0);

        public ValueTask<ApiTokenAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return inner.FindByUserNameAsync(userName, cancellationToken);
        }

        public ValueTask<ApiTokenAccount?> FindByIdAsync(string accountId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return inner.FindByIdAsync(accountId, cancellationToken);
        }
    }
}
