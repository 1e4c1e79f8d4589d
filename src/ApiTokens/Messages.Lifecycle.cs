namespace ApiTokens;

/// <summary>The sentences of the token lifecycle: rotation, expiry warnings, the audit trail, leak revocation.</summary>
internal static partial class Messages
{
    public const string InvalidMaxGracePeriod = "ApiTokens:Rotation:MaxGracePeriod must be between 00:00:00 and 365.00:00:00.";

    public const string InvalidAuditRetention = "ApiTokens:Audit:Retention must be between 01:00:00 and 3650.00:00:00, or empty to keep events for ever.";

    public const string InvalidExpiryWarning = "ApiTokens:Policy:ExpiryWarning must be between 00:00:00 (no warnings) and 365.00:00:00.";

    public static string InvalidGracePeriod(TimeSpan max) => max == TimeSpan.Zero
        ? "This server does not keep a rotated token's old value working: the grace period must be 0."
        : Format($"The grace period must be between 0 seconds and {Duration(max)} ({(long)max.TotalSeconds} seconds).");

    public static string TokenExpiredCannotRotate(string name) =>
        Format($"The API token “{Shorten(name)}” has expired, so it cannot be regenerated. Create a new token instead.");

    public const string NoAuditStore =
        "No audit store is registered: call AddInMemoryAuditStore() or AddEntityFrameworkAuditStore<TContext>() on AddApiTokens(), or check ApiTokenManager.HasAuditTrail first.";

    public const string PreviousValueCannotManage =
        "This request used the old value of a regenerated API token. The old value keeps working until its grace period ends, but it cannot create, change, regenerate or revoke API tokens: use the new value.";
}
