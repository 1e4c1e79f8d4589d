using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using ApiTokens.Benchmarks.Infrastructure;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Benchmarks;

/// <summary>
/// The cost of the <c>ApiTokens</c> meter on the cached path: one cached whm request (as in <see cref="AuthenticateBenchmarks"/>,
/// a new request scope per operation) on three otherwise identical apps. Baseline: the app has a meter factory (every host
/// does) and nobody listens. "listening" adds a <see cref="MeterListener"/> enabled on every ApiTokens instrument of that app,
/// as an exporter's is (its callbacks only add: the aggregation is the exporter's cost, not the library's). "no meter factory"
/// is a bare service collection, whose instruments go to the process-wide meter nobody listens to.
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private App _quiet = null!;
    private App _listened = null!;
    private App _noFactory = null!;
    private MeterListener _listener = null!;
    private long _observed;

    /// <summary>
    /// The same three apps interleaved (every round runs each for a batch of cached requests, in a rotating order; the figure is
    /// the median of the per-round means), so the ratios hold on a shared machine whose load changes minute to minute.
    /// </summary>
    public static async Task<int> CompareInterleavedAsync(TextWriter output, int rounds = 600, int batch = 300)
    {
        ArgumentNullException.ThrowIfNull(output);
        var bench = new MetricsBenchmarks();
        bench.Setup();
        try
        {
            var peers = new (string Name, Func<Task<AuthenticateResult>> Run)[]
            {
                ("whm cached, meter not listened", bench.Quiet),
                ("whm cached, meter listened", bench.Listening),
                ("whm cached, no meter factory", bench.NoMeterFactory),
            };
            var times = peers.Select(_ => new List<double>(rounds)).ToArray();
            var bytes = new long[peers.Length];
            for (var round = -3; round < rounds; round++) // three warm-up rounds
            {
                for (var k = 0; k < peers.Length; k++)
                {
                    var i = (k + Math.Max(round, 0)) % peers.Length;
                    var allocated = GC.GetAllocatedBytesForCurrentThread();
                    var start = Stopwatch.GetTimestamp();
                    for (var n = 0; n < batch; n++)
                    {
                        await peers[i].Run().ConfigureAwait(false);
                    }

                    var elapsed = Stopwatch.GetElapsedTime(start);
                    if (round >= 0)
                    {
                        times[i].Add(elapsed.TotalNanoseconds / batch);
                        bytes[i] += GC.GetAllocatedBytesForCurrentThread() - allocated;
                    }
                }
            }

            var medians = times.Select(t => t.Order().ElementAt(t.Count / 2)).ToArray();
            output.WriteLine($"# metrics on the cached path, interleaved: {rounds} rounds x {batch} requests per app, median of per-round means");
            for (var i = 0; i < peers.Length; i++)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"metrics {peers[i].Name}: median_ns={medians[i]:F0} alloc_b={bytes[i] / ((long)rounds * batch)} ratio={medians[i] / medians[0]:F3}"));
            }

            return 0;
        }
        finally
        {
            bench.Cleanup();
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        _quiet = new App(meterFactory: true);
        _listened = new App(meterFactory: true);
        _noFactory = new App(meterFactory: false);
        var factory = _listened.Services.GetRequiredService<IMeterFactory>();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Meter.Name == "ApiTokens")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _observed, value));
        _listener.SetMeasurementEventCallback<int>((_, value, _, _) => Interlocked.Add(ref _observed, value));
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _observed));
        _listener.Start();

        AuthHost.EnsureSucceeded(Quiet().GetAwaiter().GetResult(), "whm cached, meter not listened");
        AuthHost.EnsureSucceeded(Listening().GetAwaiter().GetResult(), "whm cached, meter listened");
        AuthHost.EnsureSucceeded(NoMeterFactory().GetAwaiter().GetResult(), "whm cached, no meter factory");
        var before = Interlocked.Read(ref _observed);
        AuthHost.EnsureSucceeded(Listening().GetAwaiter().GetResult(), "whm cached, meter listened");
        if (Interlocked.Read(ref _observed) <= before)
        {
            throw new InvalidOperationException("The listener saw no measurement: the listening row would measure nothing.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener.Dispose();
        _quiet.Dispose();
        _listened.Dispose();
        _noFactory.Dispose();
    }

    [Benchmark(Baseline = true, Description = "whm cached, meter not listened")]
    public Task<AuthenticateResult> Quiet() => _quiet.AuthenticateAsync();

    [Benchmark(Description = "whm cached, meter listened")]
    public Task<AuthenticateResult> Listening() => _listened.AuthenticateAsync();

    [Benchmark(Description = "whm cached, no meter factory")]
    public Task<AuthenticateResult> NoMeterFactory() => _noFactory.AuthenticateAsync();

    /// <summary>The whm scheme alone over the in-memory store, default Argon2, with or without <c>AddMetrics()</c>.</summary>
    private sealed class App : IDisposable
    {
        private readonly ServiceProvider _provider;
        private readonly IServiceScopeFactory _scopes;
        private readonly HttpContext _context;

        public App(bool meterFactory)
        {
            var services = new ServiceCollection();
            services.AddLogging();
            if (meterFactory)
            {
                services.AddMetrics();
            }

            var hasher = new CountingHasher(HashParameters.Default);
            services.AddSingleton<IApiTokenHasher>(hasher);
            services.AddApiTokens(o => o.Hashing = HashParameters.Default).AddInMemoryStore().AddInMemoryAccounts();
            services.AddAuthentication(AuthHost.Whm).AddWhmTokens();
            _provider = services.BuildServiceProvider();
            _scopes = _provider.GetRequiredService<IServiceScopeFactory>();

            var account = _provider.GetRequiredService<InMemoryAccountProvider>().Add(AuthHost.UserName, "all");
            var (token, generated) = AuthHost.NewBenchToken(account, _provider.GetRequiredService<ApiTokenFormat>(), hasher);
            if (_provider.GetRequiredService<InMemoryApiTokenStore>().CreateAsync(token, CancellationToken.None).GetAwaiter().GetResult() != ApiTokenStoreResult.Success)
            {
                throw new InvalidOperationException("Seeding the store failed.");
            }

            _context = AuthHost.CreateContext($"whm {AuthHost.UserName}:{generated.Value}");
        }

        public IServiceProvider Services => _provider;

        public async Task<AuthenticateResult> AuthenticateAsync()
        {
            await using var scope = _scopes.CreateAsyncScope();
            _context.RequestServices = scope.ServiceProvider;
            return await scope.ServiceProvider.GetRequiredService<IAuthenticationService>().AuthenticateAsync(_context, AuthHost.Whm).ConfigureAwait(false);
        }

        public void Dispose() => _provider.Dispose();
    }
}
