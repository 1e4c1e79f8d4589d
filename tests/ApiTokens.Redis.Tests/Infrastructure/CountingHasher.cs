
namespace ApiTokens.Redis.Tests.Infrastructure;

/// <summary>Light Argon2id parameters for tests, counting verifications (a cached request runs none).</summary>
public sealed class CountingHasher : IApiTokenHasher
{
    private readonly Argon2ApiTokenHasher _inner = new(new Argon2HashingOptions { MemoryCost = 64, TimeCost = 1, Parallelism = 1 });
    private int _verifyCalls;

    public int VerifyCalls => Volatile.Read(ref _verifyCalls);

    public string Hash(string secret) => _inner.Hash(secret);

    public HashVerificationResult Verify(string hash, ReadOnlySpan<char> secret)
    {
        Interlocked.Increment(ref _verifyCalls);
        return _inner.Verify(hash, secret);
    }
}
