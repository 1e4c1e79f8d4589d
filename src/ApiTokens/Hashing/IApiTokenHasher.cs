namespace ApiTokens;

/// <summary>Hashes and verifies token secrets.</summary>
public interface IApiTokenHasher
{
    /// <summary>Hashes <paramref name="secret"/> into a self-describing string (PHC form).</summary>
    string Hash(string secret);

    /// <summary>
    /// Checks <paramref name="secret"/> against <paramref name="hash"/>, reading the hash once: failed, success, or success with a
    /// rehash needed (the hash's parameters are weaker than those configured now). Never throws for a malformed hash.
    /// </summary>
    HashVerificationResult Verify(string hash, ReadOnlySpan<char> secret);
}
