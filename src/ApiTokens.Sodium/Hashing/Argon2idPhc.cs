using System.Globalization;

namespace ApiTokens.Sodium;

/// <summary>
/// The PHC string both hashers store, <c>$argon2id$v=19$m=…,t=…,p=…$salt$hash</c>, written exactly as Isopoh.Cryptography.Argon2
/// writes it (decimal parameters, standard base64 alphabet without padding). <see cref="TryParse"/> reads only that exact form:
/// a string it does not read (another version or type, padding, extra parameters, a leading zero) is left to the managed hasher,
/// which reads every form it ever wrote.
/// </summary>
internal static class Argon2idPhc
{
    private const string Prefix = "$argon2id$v=19$";

    /// <summary>Writes the PHC string of one lane's hash.</summary>
    public static string Format(int memory, int time, int parallelism, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> hash) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}m={memory},t={time},p={parallelism}${Unpadded(salt)}${Unpadded(hash)}");

    /// <summary>
    /// Reads <paramref name="phc"/> when it is exactly the form <see cref="Format"/> writes (it formats the parts again and compares),
    /// with positive parameters; never throws.
    /// </summary>
    public static bool TryParse(string phc, out int memory, out int time, out int parallelism, out byte[] salt, out byte[] hash)
    {
        memory = time = parallelism = 0;
        salt = hash = [];
        if (string.IsNullOrEmpty(phc) || !phc.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = phc.Split('$');
        if (parts.Length != 6)
        {
            return false;
        }

        var parameters = parts[3].Split(',');
        if (parameters.Length != 3
            || !TryReadParameter(parameters[0], "m=", out memory)
            || !TryReadParameter(parameters[1], "t=", out time)
            || !TryReadParameter(parameters[2], "p=", out parallelism)
            || !TryDecode(parts[4], out salt)
            || !TryDecode(parts[5], out hash))
        {
            return false;
        }

        return string.Equals(Format(memory, time, parallelism, salt, hash), phc, StringComparison.Ordinal);
    }

    private static bool TryReadParameter(string pair, string name, out int value)
    {
        value = 0;
        return pair.StartsWith(name, StringComparison.Ordinal)
            && int.TryParse(pair.AsSpan(name.Length), NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value > 0;
    }

    private static bool TryDecode(string unpadded, out byte[] bytes)
    {
        bytes = [];
        if (unpadded.Length == 0 || unpadded.Length % 4 == 1)
        {
            return false;
        }

        var padded = (unpadded.Length % 4) switch
        {
            2 => unpadded + "==",
            3 => unpadded + "=",
            _ => unpadded,
        };
        var buffer = new byte[padded.Length / 4 * 3];
        if (!Convert.TryFromBase64String(padded, buffer, out var written))
        {
            return false;
        }

        bytes = buffer.AsSpan(0, written).ToArray();
        return true;
    }

    private static string Unpadded(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=');
}
