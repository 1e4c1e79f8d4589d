namespace ApiTokens;

/// <summary>The sentences of token rotation's own front ends: <c>api_token_rotate</c>'s parameters and <c>tokens rotate</c>.</summary>
internal static partial class Messages
{
    // api_token_rotate.
    public static string InvalidGracePeriodParameter(string value, TimeSpan max) => Format(
        $"The parameter “grace_period” must be a whole number of seconds from 0 to {(long)max.TotalSeconds} ({Duration(max)}): how long the old token keeps working. “{Shorten(value)}” is not. Nothing was changed.");

    // tokens rotate.
    public const string RotateCommandDescription =
        "Give an API token a new value and print it, with the same name, privileges, expiry and allowed addresses. The new token is alone on the last line of standard output; it is shown only once. The old value stops at once, or after --grace-period.";

    public const string GracePeriodOptionDescription =
        "How long the old value keeps working: seconds (3600) or a time span (1.00:00:00 for a day, 00:30:00 for 30 minutes). 0 or absent: it stops at once. At most ApiTokens:Rotation:MaxGracePeriod.";

    public static string InvalidGracePeriodOption(string value) => Format(
        $"--grace-period must be a whole number of seconds (3600) or a time span (1.00:00:00), not “{Shorten(value)}”.");

    public static string CommandTokenRotated(string name, string userName) =>
        Format($"Regenerated API token “{name}” of {userName}. Save the new token now: it is shown only once.");

    public static string CommandPreviousValueStops(DateTimeOffset at) => Format($"The old value stops working at {Moment(at)}.");

    public const string CommandPreviousValueStopped = "The old value no longer works.";

    // Notes after a rotation whose grace period is shorter than the cache lifetime (standard error; the exit code stays 0).
    public static string RotatedWithoutBackplane(string lifetime) => Format(
        $"Note: a running server that verified the old value before this change may keep accepting it for up to {lifetime} (ApiTokens:Cache:Lifetime): this command runs in its own process and cannot reach the server's verify cache. Add a backplane (for example AddRedisBackplane, here and on the server) so the change reaches it at once, or restart the server.");

    public static string RotatedButNotPublished(string lifetime) => Format(
        $"Note: the backplane could not be reached, so running servers were not told of this change: a server that verified the old value before it may keep accepting it for up to {lifetime} (ApiTokens:Cache:Lifetime, or the backplane's degraded cache lifetime on a server that has lost it too), unless it restarts.");

    // tokens audit.
    public const string AuditCommandDescription =
        "Show the stored audit trail of API tokens, newest first, one event per line: time, action, account, token, details, by whom, from where. Needs an audit store (AddInMemoryAuditStore or AddEntityFrameworkAuditStore).";

    public const string AuditUserOptionDescription = "Only this account's events; absent for every account.";

    public const string AuditSinceOptionDescription = "Only events at or after this time: Unix time in seconds, or an ISO 8601 date and time (2026-01-15T10:30:00Z).";

    public const string AuditUntilOptionDescription = "Only events before this time: Unix time in seconds, or an ISO 8601 date and time.";

    public static string AuditSkipOptionDescription() => "How many of the newest matching events to skip (paging).";

    public static string AuditTakeOptionDescription() =>
        Format($"How many events to show, from 1 to {ApiTokenAuditQuery.MaxTake}. Default 50.");

    public const string AuditJsonOptionDescription = "Print one JSON object: the events and the total count that match.";

    public static string InvalidAuditTime(string option, string value) => Format(
        $"{option} must be a Unix time in seconds (1768473000) or an ISO 8601 date and time (2026-01-15T10:30:00Z), not “{Shorten(value)}”.");

    public static string InvalidAuditSkip(string value) => Format($"--skip must be a whole number from 0, not “{Shorten(value)}”.");

    public static string InvalidAuditTake(string value) =>
        Format($"--take must be a whole number from 1 to {ApiTokenAuditQuery.MaxTake}, not “{Shorten(value)}”.");

    public const string AuditSinceAfterUntil = "--since must be before --until.";

    public static string AuditMore(int shown, int skip, int total) => Format(
        $"Showing {shown} of {total} events; run again with --skip {skip + shown} for older ones.");
}
