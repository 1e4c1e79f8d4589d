using NSec.Cryptography;

namespace ApiTokens.Sodium;

/// <summary>
/// Whether the native libsodium loads and works in this process: NSec.Cryptography loads it the first time an algorithm is
/// created, and throws when the library is missing, built for another platform or of another version. <see cref="Native"/> is
/// the real check; tests give another one to see how a missing library is reported.
/// </summary>
internal sealed class SodiumRuntime
{
    private static readonly Argon2Parameters Smallest = new() { DegreeOfParallelism = 1, MemorySize = 8, NumberOfPasses = 1 };

    private readonly Func<string?> _loadError;

    internal SodiumRuntime(Func<string?> loadError) => _loadError = loadError;

    /// <summary>The native library, loaded through NSec.</summary>
    public static SodiumRuntime Native { get; } = new(LoadNative);

    /// <summary><see langword="null"/> when libsodium is loaded and works; otherwise why not, for the start-up message.</summary>
    public string? LoadError() => _loadError();

    private static string? LoadNative()
    {
        try
        {
            _ = PasswordBasedKeyDerivationAlgorithm.Argon2id(Smallest);
            return null;
        }
        catch (Exception ex) when (ex is PlatformNotSupportedException or DllNotFoundException or EntryPointNotFoundException
            or BadImageFormatException or TypeInitializationException or InvalidOperationException)
        {
            return ex.InnerException is null ? ex.Message : $"{ex.Message} {ex.InnerException.Message}";
        }
    }
}
