using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace ApiTokens.Sodium;

/// <summary>
/// Argon2id hashing with libsodium (through <c>NSec.Cryptography</c>), stored as the same PHC string as
/// <see cref="Argon2ApiTokenHasher"/> (<c>$argon2id$v=19$m=…,t=…,p=1$salt$hash</c>), so each verifies the other's hashes.
/// </summary>
/// <remarks>
/// <para>libsodium computes one lane with a 16-byte salt only, so the configured <see cref="Argon2HashingOptions.Parallelism"/>
/// must be 1 and <see cref="Argon2HashingOptions.SaltLength"/> 16: other values are refused when the hasher is created (and at
/// start-up, by <c>AddSodiumHasher()</c>).</para>
/// <para>A stored hash libsodium cannot compute (more lanes, another salt length, a hash shorter than 16 bytes, Argon2 version
/// 0x10, any other spelling of the string) is verified by <see cref="Argon2ApiTokenHasher"/> instead, with the same answer it
/// would give; when it matches, the answer is <see cref="HashVerificationResult.SuccessRehashNeeded"/>, so the verifier stores a
/// hash this hasher verifies quickly.</para>
/// <para>A malformed hash is <see cref="HashVerificationResult.Failed"/>, never an exception. A derivation libsodium refuses
/// for a well-formed hash (memory it cannot allocate) throws <see cref="CryptographicException"/>, as an allocation failure
/// does in the managed hasher: the verifier logs it and refuses the request.</para>
/// </remarks>
public sealed class SodiumArgon2ApiTokenHasher : IApiTokenHasher
{
    private const int SaltLength = 16;
    private const int MinHashLength = 16;
    private const int MinMemoryCost = 8;
    private const int MaxStackBytes = 256;

    private readonly Argon2ApiTokenHasher _fallback;
    private readonly Argon2id _configured;
    private readonly int _memoryCost;
    private readonly int _timeCost;
    private readonly int _hashLength;

    /// <summary>Creates the hasher from options (<c>ApiTokens:Hashing</c>).</summary>
    /// <exception cref="OptionsValidationException">The hashing options are invalid, or ask for more than one lane or another salt length than 16 bytes.</exception>
    /// <exception cref="InvalidOperationException">The native libsodium cannot be loaded.</exception>
    public SodiumArgon2ApiTokenHasher(IOptions<ApiTokenOptions> options)
        : this(options?.Value.Hashing ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    /// <summary>Creates the hasher from hashing options.</summary>
    /// <exception cref="OptionsValidationException">The hashing options are invalid, or ask for more than one lane or another salt length than 16 bytes.</exception>
    /// <exception cref="InvalidOperationException">The native libsodium cannot be loaded.</exception>
    public SodiumArgon2ApiTokenHasher(Argon2HashingOptions options)
        : this(options, SodiumRuntime.Native)
    {
    }

    internal SodiumArgon2ApiTokenHasher(Argon2HashingOptions options, SodiumRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runtime);

        // The managed hasher checks the options as it always does, and verifies what libsodium cannot.
        _fallback = new Argon2ApiTokenHasher(options);
        var errors = Validate(options).ToList();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(Argon2HashingOptions), typeof(Argon2HashingOptions), errors);
        }

        if (runtime.LoadError() is { } reason)
        {
            throw new InvalidOperationException(Messages.LibraryNotLoaded(reason));
        }

        _memoryCost = options.MemoryCost;
        _timeCost = options.TimeCost;
        _hashLength = options.HashLength;
        _configured = Algorithm(_memoryCost, _timeCost);
    }

    /// <inheritdoc />
    public string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Hash(secret, RandomNumberGenerator.GetBytes(SaltLength));
    }

    /// <summary>Hashes with a given salt (tests compare the string with the managed hasher's, byte for byte).</summary>
    internal string Hash(string secret, byte[] salt)
    {
        var hash = new byte[_hashLength];
        var password = secret.Length <= MaxStackBytes ? stackalloc byte[secret.Length] : new byte[secret.Length];
        try
        {
            Encoding.ASCII.GetBytes(secret, password);
            _configured.DeriveBytes(password, salt, hash);
            return Argon2idPhc.Format(_memoryCost, _timeCost, 1, salt, hash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
            CryptographicOperations.ZeroMemory(hash);
        }
    }

    /// <inheritdoc />
    public HashVerificationResult Verify(string hash, ReadOnlySpan<char> secret)
    {
        if (!Argon2idPhc.TryParse(hash, out var memory, out var time, out var parallelism, out var salt, out var stored)
            || parallelism != 1 || salt.Length != SaltLength || stored.Length < MinHashLength || memory < MinMemoryCost)
        {
            // Not a hash libsodium computes (or not a hash at all): the managed hasher answers, and a match is stored again as ours.
            return VerifyManaged(hash, secret) == HashVerificationResult.Failed
                ? HashVerificationResult.Failed
                : HashVerificationResult.SuccessRehashNeeded;
        }

        var algorithm = memory == _memoryCost && time == _timeCost ? _configured : Algorithm(memory, time);
        var derived = stored.Length <= MaxStackBytes ? stackalloc byte[stored.Length] : new byte[stored.Length];
        var password = secret.Length <= MaxStackBytes ? stackalloc byte[secret.Length] : new byte[secret.Length];
        try
        {
            Encoding.ASCII.GetBytes(secret, password);
            algorithm.DeriveBytes(password, salt, derived);
            if (!CryptographicOperations.FixedTimeEquals(derived, stored))
            {
                return HashVerificationResult.Failed;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
            CryptographicOperations.ZeroMemory(derived);
        }

        return memory < _memoryCost || time < _timeCost
            ? HashVerificationResult.SuccessRehashNeeded
            : HashVerificationResult.Success;
    }

    private HashVerificationResult VerifyManaged(string hash, ReadOnlySpan<char> secret)
    {
        try
        {
            return _fallback.Verify(hash, secret);
        }
        catch (Exception ex) when (ex is IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
        {
            // Isopoh's decoder reads past the end of some truncated strings (such as one without a salt and a hash).
            return HashVerificationResult.Failed;
        }
    }

    /// <summary>What libsodium cannot do of <paramref name="options"/>, as start-up messages naming the setting.</summary>
    internal static IEnumerable<string> Validate(Argon2HashingOptions options)
    {
        if (options.Parallelism != 1)
        {
            yield return Messages.ParallelismNotOne(options.Parallelism);
        }

        if (options.SaltLength != SaltLength)
        {
            yield return Messages.SaltLengthNotSixteen(options.SaltLength);
        }
    }

    private static Argon2id Algorithm(int memory, int time) =>
        PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters { DegreeOfParallelism = 1, MemorySize = memory, NumberOfPasses = time });
}
