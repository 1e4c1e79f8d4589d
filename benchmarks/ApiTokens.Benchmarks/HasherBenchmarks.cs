using ApiTokens.Benchmarks.Infrastructure;
using ApiTokens.Sodium;
using BenchmarkDotNet.Attributes;

namespace ApiTokens.Benchmarks;

/// <summary>
/// The two Argon2id hashers at the library's default parameters (19 MiB, 2 passes, 1 lane), in one run: the managed
/// <c>Isopoh.Cryptography.Argon2</c> (the core's default) and libsodium through <c>NSec.Cryptography</c>
/// (<c>AddSodiumHasher()</c>). Both verify the same stored string, so the ratio is the whole difference a cold verify sees.
/// </summary>
[MemoryDiagnoser]
public class HasherBenchmarks
{
    private const string Secret = "Q7K2M9X4P1R8T6W3Z5B0C2D4E6";
    private IApiTokenHasher _hasher = null!;
    private string _hash = null!;

    /// <summary>Which hasher: <c>Isopoh</c> (the baseline) or <c>libsodium</c>.</summary>
    [Params("Isopoh", "libsodium")]
    public string Hasher { get; set; } = "Isopoh";

    [GlobalSetup]
    public void Setup()
    {
        var defaults = HashParameters.Default;
        _hasher = Hasher == "libsodium" ? new SodiumArgon2ApiTokenHasher(defaults) : new Argon2ApiTokenHasher(defaults);

        // The hash both verify is the managed hasher's, as in an app that has just switched.
        _hash = new Argon2ApiTokenHasher(defaults).Hash(Secret);
        if (Verify() != HashVerificationResult.Success || !_hasher.Hash(Secret).StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the hashers disagree");
        }
    }

    [Benchmark(Description = "Argon2id hash at the defaults")]
    public string Hash() => _hasher.Hash(Secret);

    [Benchmark(Description = "Argon2id verify at the defaults")]
    public HashVerificationResult Verify() => _hasher.Verify(_hash, Secret);
}
