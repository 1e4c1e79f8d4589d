
namespace ApiTokens.Testing;

/// <summary>Light Argon2id parameters for tests, with call counters.</summary>
public sealed class CountingHasher : IApiTokenHasher
{
    public static readonly Argon2HashingOptions TestParameters = new() { MemoryCost = 64, TimeCost = 1, Parallelism = 1 };

    private readonly Argon2ApiTokenHasher _inner;
    private int _hashCalls;
    private int _verifyCalls;

    public CountingHasher(Argon2HashingOptions? options = null) => _inner = new Argon2ApiTokenHasher(options ?? TestParameters);

    public int HashCalls => Volatile.Read(ref _hashCalls);

    public int VerifyCalls => Volatile.Read(ref _verifyCalls);

    public string Hash(string secret)
    {
        Interlocked.Increment(ref _hashCalls);
        return _inner.Hash(secret);
    }

    public HashVerificationResult Verify(string hash, ReadOnlySpan<char> secret)
    {
        Interlocked.Increment(ref _verifyCalls);
        return _inner.Verify(hash, secret);
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _hashCalls, 0);
        Interlocked.Exchange(ref _verifyCalls, 0);
    }
}
