using ApiTokens.Benchmarks.Infrastructure;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Benchmarks;

/// <summary>
/// Cached and cold <c>whm</c> authentication on the EF Core store over a real SQLite file, with 1 and 100,000 rows
/// in the token table, plus the store's selector lookup alone (what the cold path adds besides Argon2). The cached
/// case fills the verify cache too (up to its size limit); the cold case clears it each time and runs Argon2 at the
/// test parameters.
/// </summary>
[MemoryDiagnoser]
public class SqliteScaleBenchmarks
{
    private SqliteAuthHost _host = null!;
    private HttpContext _whm = null!;

    [Params(1, 100_000)]
    public int Rows { get; set; }

    [GlobalSetup(Target = nameof(Cached))]
    public void SetupCached() => Setup(fillCache: true);

    [GlobalSetup(Targets = [nameof(Cold), nameof(StoreLookup)])]
    public void SetupCold() => Setup(fillCache: false);

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark(Description = "whm cached (SQLite store)")]
    public Task<AuthenticateResult> Cached() => _host.AuthenticateAsync(_whm);

    [Benchmark(Description = "whm cold (SQLite lookup + Argon2 test)")]
    public Task<AuthenticateResult> Cold()
    {
        _host.Cache.Clear();
        return _host.AuthenticateAsync(_whm);
    }

    [Benchmark(Description = "SQLite store lookup by selector")]
    public Task<ApiToken?> StoreLookup() => _host.FindAsync();

    private void Setup(bool fillCache)
    {
        _host = new SqliteAuthHost(HashParameters.Test, Rows, fillCache);
        if (_host.RowCount != Rows)
        {
            throw new InvalidOperationException($"The token table has {_host.RowCount} rows, not {Rows}.");
        }

        _whm = AuthHost.CreateContext(_host.WhmHeader);
        AuthHost.EnsureSucceeded(_host.AuthenticateAsync(_whm).GetAwaiter().GetResult(), "whm on SQLite");
        if (_host.FindAsync().GetAwaiter().GetResult()?.Id != _host.Token.Id)
        {
            throw new InvalidOperationException("The store did not find the benchmark token.");
        }
    }
}
