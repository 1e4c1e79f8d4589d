using System.Globalization;

namespace ApiTokens;

/// <summary>The sentences of the Argon2 workers (<c>ApiTokens:Verification</c>).</summary>
internal static partial class Messages
{
    public const string InvalidMaxQueuedHashes =
        "ApiTokens:Verification:MaxQueuedHashes must be at least 1 (or left unset: 1,024 for each of MaxConcurrentHashes).";

    public static string TooManyConcurrentHashes(int configured, int limit) => string.Format(
        CultureInfo.InvariantCulture,
        "ApiTokens:Verification:MaxConcurrentHashes is {0}, but it can be at most {1}: each is a dedicated thread running one Argon2 at a time, " +
        "with Argon2's memory (19 MiB at the defaults). Set it to about the number of cores that may hash at once (the default is the processor count).",
        configured,
        limit);
}
