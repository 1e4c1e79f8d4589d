using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MyScanner;

/// <summary>Checks a candidate found by the regex: the last 6 characters must be the checksum of the 32 before them.</summary>
public static class ApiTokenChecksum
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    public static bool IsValid(string candidate, string prefix, int length = 32)
    {
        if (candidate.Length != prefix.Length + length + 6 || !candidate.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var body = candidate.Substring(prefix.Length, length);
        var digest = SHA256.HashData(Encoding.ASCII.GetBytes(body));
        var value = BinaryPrimitives.ReadUInt32BigEndian(digest); // the first 32 bits, big-endian
        var checksum = new char[6];
        for (var i = 5; i >= 0; i--)
        {
            checksum[i] = Alphabet[(int)(value % 36)];
            value /= 36;
        }

        return candidate.EndsWith(new string(checksum), StringComparison.Ordinal);
    }
}
