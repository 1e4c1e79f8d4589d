namespace ApiTokens;

/// <summary>Hashes and verifies token secrets.</summary>
public interface IApiTokenHasher
{
    /// <summary>Hashes <paramref name="secret"/> into a self-describing string (PHC form).</summary>
    string Hash(string secret);

    /// <summary>Whether <paramref name="secret"/> matches <paramref name="hash"/>. Never throws for a malformed hash.</summary>
    bool Verify(string hash, ReadOnlySpan<char> secret);

    /// <summary>Whether <paramref name="hash"/> was made with weaker parameters than those configured now.</summary>
    bool NeedsRehash(string hash);
}
