
namespace ApiTokens.Benchmarks.Infrastructure;

/// <summary>The two Argon2id settings measured: the library's defaults and the light test parameters.</summary>
public static class HashParameters
{
    /// <summary>The library's defaults (19 MiB, 2 passes, 1 lane).</summary>
    public static Argon2HashingOptions Default => new();

    /// <summary>The light parameters the test suite uses (64 KiB, 1 pass, 1 lane).</summary>
    public static Argon2HashingOptions Test => new() { MemoryCost = 64, TimeCost = 1, Parallelism = 1 };
}
