using ApiTokens.Benchmarks.Infrastructure;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Benchmarks;

/// <summary>
/// One request authenticated through <see cref="IAuthenticationService.AuthenticateAsync"/>, a new request scope per
/// operation (as ASP.NET Core does), for each handler a user might pick instead. Baseline: no credentials at all.
/// The whm cold path runs Argon2 at the library's default parameters. "whm cached" runs with last-used tracking on (the
/// default: each success notes the token's time and address in memory); "whm cached, usage off" is the same host built with
/// <c>ApiTokens:Usage:Enabled=false</c>, so the two rows give the cost of the note.
/// </summary>
[MemoryDiagnoser]
public class AuthenticateBenchmarks
{
    private AuthHost _host = null!;
    private AuthHost _noUsageHost = null!;
    private HttpContext _anonymous = null!;
    private HttpContext _whm = null!;
    private HttpContext _whmNoUsage = null!;
    private HttpContext _jwt = null!;
    private HttpContext _bearer = null!;
    private HttpContext _basic = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = new AuthHost(HashParameters.Default);
        _anonymous = AuthHost.CreateContext(null);
        _whm = AuthHost.CreateContext(_host.WhmHeader);
        _noUsageHost = new AuthHost(HashParameters.Default, usageTracking: false);
        _whmNoUsage = AuthHost.CreateContext(_noUsageHost.WhmHeader);
        _jwt = AuthHost.CreateContext(_host.JwtHeader);
        _bearer = AuthHost.CreateContext(_host.BearerHeader);
        _basic = AuthHost.CreateContext(_host.BasicHeader);
        AuthHost.EnsureSucceeded(WhmCached().GetAwaiter().GetResult(), "whm");
        AuthHost.EnsureSucceeded(WhmCachedUsageOff().GetAwaiter().GetResult(), "whm, usage off");
        AuthHost.EnsureSucceeded(JwtBearer().GetAwaiter().GetResult(), "JWT bearer");
        AuthHost.EnsureSucceeded(BearerToken().GetAwaiter().GetResult(), "bearer token");
        AuthHost.EnsureSucceeded(BasicAuth().GetAwaiter().GetResult(), "basic");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host.Dispose();
        _noUsageHost.Dispose();
    }

    [Benchmark(Baseline = true, Description = "anonymous (no handler work)")]
    public Task<AuthenticateResult> Anonymous() => _host.AuthenticateAsync(_anonymous, AuthHost.Whm);

    [Benchmark(Description = "whm cached")]
    public Task<AuthenticateResult> WhmCached() => _host.AuthenticateAsync(_whm, AuthHost.Whm);

    [Benchmark(Description = "whm cached, usage off")]
    public Task<AuthenticateResult> WhmCachedUsageOff() => _noUsageHost.AuthenticateAsync(_whmNoUsage, AuthHost.Whm);

    [Benchmark(Description = "whm cold (store + Argon2 default)")]
    public Task<AuthenticateResult> WhmCold()
    {
        _host.Cache.Clear();
        return _host.AuthenticateAsync(_whm, AuthHost.Whm);
    }

    [Benchmark(Description = "JWT bearer HS256")]
    public Task<AuthenticateResult> JwtBearer() => _host.AuthenticateAsync(_jwt, AuthHost.Jwt);

    [Benchmark(Description = "ASP.NET bearer token")]
    public Task<AuthenticateResult> BearerToken() => _host.AuthenticateAsync(_bearer, AuthHost.Bearer);

    [Benchmark(Description = "idunno basic")]
    public Task<AuthenticateResult> BasicAuth() => _host.AuthenticateAsync(_basic, AuthHost.Basic);
}
