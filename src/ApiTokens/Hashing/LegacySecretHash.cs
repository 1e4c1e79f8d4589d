using System.Security.Cryptography;

namespace ApiTokens;

/// <summary>
/// Verifies the <c>$sha512$&lt;hex&gt;</c> hash of a token imported from cPanel (see <see cref="LegacyTokens"/>): the SHA-512 of
/// the presented value compared in constant time. A match is always <see cref="HashVerificationResult.SuccessRehashNeeded"/>, so
/// the verifier's upgrade-on-use stores the native form at once. No Argon2 runs here.
/// </summary>
internal static class LegacySecretHash
{
    /// <summary>Whether <paramref name="hash"/> is the imported form.</summary>
    public static bool IsSha512(string hash) => hash.StartsWith(LegacyTokens.Sha512HashPrefix, StringComparison.Ordinal);

    public static HashVerificationResult Verify(string hash, ReadOnlySpan<char> value)
    {
        var hex = hash.AsSpan(LegacyTokens.Sha512HashPrefix.Length);
        if (!LegacyTokens.IsSha512Hex(hex) || !LegacyTokens.IsCandidate(value))
        {
            return HashVerificationResult.Failed;
        }

        Span<byte> stored = stackalloc byte[SHA512.HashSizeInBytes];
        if (Convert.FromHexString(hex, stored, out _, out var written) != System.Buffers.OperationStatus.Done || written != stored.Length)
        {
            return HashVerificationResult.Failed;
        }

        Span<byte> bytes = stackalloc byte[value.Length];
        for (var i = 0; i < value.Length; i++)
        {
            bytes[i] = (byte)value[i];
        }

        Span<byte> presented = stackalloc byte[SHA512.HashSizeInBytes];
        SHA512.HashData(bytes, presented);
        CryptographicOperations.ZeroMemory(bytes);
        return CryptographicOperations.FixedTimeEquals(stored, presented)
            ? HashVerificationResult.SuccessRehashNeeded
            : HashVerificationResult.Failed;
    }
}
