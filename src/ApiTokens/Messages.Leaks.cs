namespace ApiTokens;

/// <summary>The sentences of leak revocation (<c>MapLeakedTokenRevocation</c>): its refusals and its option checks.</summary>
internal static partial class Messages
{
    public const string LeakRefusedTitle = "The leak report was not accepted.";

    public const string LeakNotJson =
        "Send the report as JSON (Content-Type: application/json): an array of token values as strings, such as [\"value1\", \"value2\"].";

    public const string LeakMalformed =
        "The body is not valid JSON. Send an array of token values as strings, such as [\"value1\", \"value2\"]. Nothing was revoked.";

    public const string LeakNotArray =
        "The body must be a JSON array of token values as strings, such as [\"value1\", \"value2\"]. Nothing was revoked.";

    public const string LeakValueNotString =
        "Every item of the array must be a string (a token value): remove numbers, nulls, objects and arrays. Nothing was revoked.";

    public static string LeakTooManyValues(int max) =>
        Format($"A report may hold at most {max} values. Split the list into several requests. Nothing was revoked.");

    public static string LeakBodyTooLarge(long max) =>
        Format($"The body is larger than {max} bytes. Split the list into several requests. Nothing was revoked.");

    public const string LeakRateLimitedTitle = "Too many leak reports.";

    public const string LeakRateLimited =
        "Too many leak reports from this address, or in all, right now. Send the report again after the number of seconds in Retry-After.";

    public const string LeakUnavailableTitle = "The leak report could not be checked now.";

    public const string LeakUnavailable =
        "The values could not all be checked now. Send the same report again after the number of seconds in Retry-After: reporting a value twice is safe.";

    public const string InvalidLeakMaxValues = "LeakedTokenRevocationOptions.MaxValues must be between 1 and 10000.";

    public const string InvalidLeakMaxBodySize = "LeakedTokenRevocationOptions.MaxBodySize must be between 64 bytes and 16 MiB (16777216).";

    public const string InvalidLeakPermits =
        "LeakedTokenRevocationOptions.PermitsPerAddress and PermitsPerWindow must be 0 (no limit) or more, and Window more than zero.";

    public const string InvalidLeakCheckBudget =
        "LeakedTokenRevocationOptions.MaxFailedChecksPerAddress and MaxChecksPerWindow must be 0 (no limit) or more.";

    public const string InvalidLeakRetryAfter = "LeakedTokenRevocationOptions.UnavailableRetryAfter must be between 1 second and 1 hour.";

    public const string InvalidLeakActorName = "LeakedTokenRevocationOptions.ActorName must not be empty: it names the reporter in the audit trail.";
}
