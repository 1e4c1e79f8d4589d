using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using ApiTokens.Authentication;
using ApiTokens.Benchmarks.Infrastructure;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Benchmarks;

/// <summary>
/// The cached path taken apart, so a regression in the handler comparison can be traced to its step:
/// parse, keyed digest of the secret, cache lookup, the whole verifier, and building the principal.
/// </summary>
[MemoryDiagnoser]
public class HotPathBreakdownBenchmarks
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private AuthHost _host = null!;
    private IServiceScope _scope = null!;
    private ApiTokenVerifier _verifier = null!;
    private string _credential = null!;
    private string _user = null!;
    private string _token = null!;
    private string _key = null!;
    private VerifiedToken _verified = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = new AuthHost(HashParameters.Test);
        _scope = _host.ScopeFactory.CreateScope();
        _verifier = _scope.ServiceProvider.GetRequiredService<ApiTokenVerifier>();
        _credential = _host.WhmHeader;
        _user = AuthHost.UserName;
        _token = _credential[(_credential.IndexOf(':', StringComparison.Ordinal) + 1)..];
        _key = string.Concat(_user, ":", _host.Token.Selector);
        var result = _verifier.VerifyAsync(_user, _token, IPAddress.Loopback).AsTask().GetAwaiter().GetResult();
        _verified = result.Token ?? throw new InvalidOperationException("verify failed");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _scope.Dispose();
        _host.Dispose();
    }

    [Benchmark(Description = "parse header")]
    public int Parse() =>
        WhmAuthorizationHeader.TryParseHeader(_credential, 4096, 255, out _, out var token) == WhmAuthorizationHeader.Outcome.Parsed
            && _host.Format.TryParse(_credential.AsSpan(token), out var selector, out _) ? selector.Length : -1;

    [Benchmark(Description = "HMAC-SHA256 of the secret")]
    public byte Digest()
    {
        Span<byte> digest = stackalloc byte[32];
        HMACSHA256.HashData(Key, "0123456789ABCDEFGHIJKLMN"u8, digest);
        return digest[0];
    }

    [ThreadStatic]
    private static IncrementalHash? t_hmac;

    [Benchmark(Description = "SHA-256 of key+secret")]
    public byte Sha()
    {
        Span<byte> buffer = stackalloc byte[56];
        Key.CopyTo(buffer);
        "0123456789ABCDEFGHIJKLMN"u8.CopyTo(buffer[32..]);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(buffer, digest);
        return digest[0];
    }

    [Benchmark(Description = "reused IncrementalHash HMAC")]
    public byte Incremental()
    {
        var h = t_hmac ??= IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Key);
        h.AppendData("0123456789ABCDEFGHIJKLMN"u8);
        Span<byte> digest = stackalloc byte[32];
        h.GetHashAndReset(digest);
        return digest[0];
    }

    [Benchmark(Description = "cache lookup (Get + IsCurrent)")]
    public bool CacheLookup()
    {
        var entry = _host.Cache.Get(_key);
        return entry is not null && _host.Cache.IsCurrent(entry, _host.Cache.NowTicks);
    }

    [Benchmark(Description = "verifier (cached)")]
    public bool Verify() => _verifier.VerifyAsync(_user, _token, IPAddress.Loopback).AsTask().GetAwaiter().GetResult().Succeeded;

    [Benchmark(Description = "create principal")]
    public ClaimsPrincipal Principal() => WhmTokenHandler.CreatePrincipal(_verified, AuthHost.Whm);
}
