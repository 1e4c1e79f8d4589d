using ApiTokens.Hashing;

namespace ApiTokens.Benchmarks.Infrastructure;

/// <summary>Wraps the real Argon2 hasher and counts how often it runs.</summary>
public sealed class CountingHasher : IApiTokenHasher
{
    private readonly Argon2ApiTokenHasher _inner;
    private int _hashCalls;
    private int _verifyCalls;

    public CountingHasher(Argon2HashingOptions options) => _inner = new Argon2ApiTokenHasher(options);

    public int HashCalls => Volatile.Read(ref _hashCalls);

    public int VerifyCalls => Volatile.Read(ref _verifyCalls);

    public string Hash(string secret)
    {
        Interlocked.Increment(ref _hashCalls);
        return _inner.Hash(secret);
    }

    public bool Verify(string hash, ReadOnlySpan<char> secret)
    {
        Interlocked.Increment(ref _verifyCalls);
        return _inner.Verify(hash, secret);
    }

    public bool NeedsRehash(string hash) => _inner.NeedsRehash(hash);

    public void Reset()
    {
        Interlocked.Exchange(ref _hashCalls, 0);
        Interlocked.Exchange(ref _verifyCalls, 0);
    }
}
