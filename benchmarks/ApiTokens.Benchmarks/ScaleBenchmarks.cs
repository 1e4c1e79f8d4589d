using ApiTokens.Benchmarks.Infrastructure;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Benchmarks;

/// <summary>
/// Cached and cold <c>whm</c> authentication with 1, 10,000 and 1,000,000 tokens in the in-memory store. Filler rows
/// share one precomputed hash; for the cached case the verify cache is also filled (up to its size limit). The cold
/// case clears the cache each time and runs Argon2 at the test parameters, so the store lookup is visible.
/// </summary>
[MemoryDiagnoser]
public class ScaleBenchmarks
{
    private AuthHost _host = null!;
    private HttpContext _whm = null!;

    [Params(1, 10_000, 1_000_000)]
    public int Tokens { get; set; }

    [GlobalSetup(Target = nameof(Cached))]
    public void SetupCached() => Setup(fillCache: true);

    [GlobalSetup(Target = nameof(Cold))]
    public void SetupCold() => Setup(fillCache: false);

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark(Description = "whm cached")]
    public Task<AuthenticateResult> Cached() => _host.AuthenticateAsync(_whm, AuthHost.Whm);

    [Benchmark(Description = "whm cold (store + Argon2 test)")]
    public Task<AuthenticateResult> Cold()
    {
        _host.Cache.Clear();
        return _host.AuthenticateAsync(_whm, AuthHost.Whm);
    }

    private void Setup(bool fillCache)
    {
        _host = new AuthHost(HashParameters.Test, Tokens, fillCache);
        _whm = AuthHost.CreateContext(_host.WhmHeader);
        AuthHost.EnsureSucceeded(_host.AuthenticateAsync(_whm, AuthHost.Whm).GetAwaiter().GetResult(), "whm");
    }
}
