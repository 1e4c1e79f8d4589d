using ApiTokens.Benchmarks.Infrastructure;
using BenchmarkDotNet.Attributes;

namespace ApiTokens.Benchmarks;

/// <summary>Argon2id hash and verify at the library's default parameters and at the test parameters.</summary>
[MemoryDiagnoser]
public class HashingBenchmarks
{
    private const string Secret = "Q7K2M9X4P1R8T6W3Z5B0C2D4E6";
    private Argon2ApiTokenHasher _hasher = null!;
    private string _hash = null!;

    [Params("default", "test")]
    public string Parameters { get; set; } = "default";

    [GlobalSetup]
    public void Setup()
    {
        _hasher = new Argon2ApiTokenHasher(Parameters == "test" ? HashParameters.Test : HashParameters.Default);
        _hash = _hasher.Hash(Secret);
        if (Verify() != HashVerificationResult.Success)
        {
            throw new InvalidOperationException("verify failed");
        }
    }

    [Benchmark(Description = "Argon2id hash")]
    public string Hash() => _hasher.Hash(Secret);

    [Benchmark(Description = "Argon2id verify")]
    public HashVerificationResult Verify() => _hasher.Verify(_hash, Secret);
}
