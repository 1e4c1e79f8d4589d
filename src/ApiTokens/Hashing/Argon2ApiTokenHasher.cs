using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Isopoh.Cryptography.Argon2;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// Argon2id hashing with <c>Isopoh.Cryptography.Argon2</c>, stored as a PHC string
/// (<c>$argon2id$v=19$m=…,t=…,p=…$salt$hash</c>).
/// </summary>
public sealed class Argon2ApiTokenHasher : IApiTokenHasher
{
    private readonly Argon2HashingOptions _options;

    /// <summary>Creates the hasher from options.</summary>
    public Argon2ApiTokenHasher(IOptions<ApiTokenOptions> options)
        : this(options?.Value.Hashing ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    /// <summary>Creates the hasher from hashing options.</summary>
    public Argon2ApiTokenHasher(Argon2HashingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(Argon2HashingOptions), typeof(Argon2HashingOptions), errors);
        }

        _options = options;
    }

    /// <inheritdoc />
    public string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var config = new Argon2Config
        {
            Type = Argon2Type.HybridAddressing,
            Version = Argon2Version.Nineteen,
            TimeCost = _options.TimeCost,
            MemoryCost = _options.MemoryCost,
            Lanes = _options.Parallelism,
            Threads = _options.Parallelism,
            HashLength = _options.HashLength,
            Salt = RandomNumberGenerator.GetBytes(_options.SaltLength),
            Password = Encoding.ASCII.GetBytes(secret),
        };
        using var argon2 = new Argon2(config);
        using var hash = argon2.Hash();
        return config.EncodeString(hash.Buffer);
    }

    /// <inheritdoc />
    public HashVerificationResult Verify(string hash, ReadOnlySpan<char> secret)
    {
        if (string.IsNullOrEmpty(hash) || !hash.StartsWith("$argon2id$", StringComparison.Ordinal))
        {
            return HashVerificationResult.Failed;
        }

        var password = new byte[Encoding.ASCII.GetByteCount(secret)];
        try
        {
            Encoding.ASCII.GetBytes(secret, password);
            if (!Argon2.Verify(hash, password, threads: 1))
            {
                return HashVerificationResult.Failed;
            }
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            return HashVerificationResult.Failed;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }

        // A hash whose parameters cannot be read as ours (another version, extra parameters) verified: store one of ours.
        return !TryReadParameters(hash, out var memory, out var time, out var parallelism)
            || memory < _options.MemoryCost || time < _options.TimeCost || parallelism < _options.Parallelism
            ? HashVerificationResult.SuccessRehashNeeded
            : HashVerificationResult.Success;
    }

    /// <summary>Reads m, t and p from an <c>$argon2id$v=19$m=…,t=…,p=…$…</c> string.</summary>
    internal static bool TryReadParameters(string hash, out int memory, out int time, out int parallelism)
    {
        memory = time = parallelism = 0;
        if (string.IsNullOrEmpty(hash))
        {
            return false;
        }

        var parts = hash.Split('$');
        if (parts.Length != 6 || parts[1] != "argon2id" || parts[2] != "v=19")
        {
            return false;
        }

        foreach (var pair in parts[3].Split(','))
        {
            var kv = pair.Split('=');
            if (kv.Length != 2 || !int.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            switch (kv[0])
            {
                case "m": memory = value; break;
                case "t": time = value; break;
                case "p": parallelism = value; break;
                default: return false;
            }
        }

        return memory > 0 && time > 0 && parallelism > 0;
    }
}
