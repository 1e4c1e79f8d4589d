namespace ApiTokens.Sodium;

/// <summary>
/// Every sentence this package shows to a person: the start-up refusals of <c>AddSodiumHasher()</c>. Each names the setting or
/// the library, and what to do next. None carries a secret or a hash.
/// </summary>
internal static class Messages
{
    public static string ParallelismNotOne(int parallelism) =>
        $"ApiTokens:Hashing:Parallelism is {parallelism}, but AddSodiumHasher() hashes with libsodium, which computes one lane only: "
        + "set ApiTokens:Hashing:Parallelism to 1 (hashes already stored with more lanes still verify, and are rewritten on their next use), "
        + "or remove AddSodiumHasher() to keep the managed hasher.";

    public static string SaltLengthNotSixteen(int saltLength) =>
        $"ApiTokens:Hashing:SaltLength is {saltLength}, but AddSodiumHasher() hashes with libsodium, which takes 16-byte salts only: "
        + "set ApiTokens:Hashing:SaltLength to 16 (hashes already stored with other salts still verify, and are rewritten on their next use), "
        + "or remove AddSodiumHasher() to keep the managed hasher.";

    public static string LibraryNotLoaded(string reason) =>
        $"AddSodiumHasher() needs the native libsodium library, which could not be loaded here ({reason}). "
        + "NSec.Cryptography ships it in its runtimes folder for Windows, macOS and Linux (glibc and musl) on x64 and arm64: "
        + "run on one of those and keep runtimes/<rid>/native/ in the published output, "
        + "or remove AddSodiumHasher() to hash with the managed Isopoh.Cryptography.Argon2.";
}
