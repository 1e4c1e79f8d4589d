namespace ApiTokens;

/// <summary>The sentences of the token lifecycle: rotation, expiry warnings, the audit trail, leak revocation.</summary>
internal static partial class Messages
{
    public const string InvalidMaxGracePeriod = "ApiTokens:Rotation:MaxGracePeriod must be between 00:00:00 and 365.00:00:00.";

    public const string InvalidAuditRetention = "ApiTokens:Audit:Retention must be between 01:00:00 and 3650.00:00:00, or empty to keep events for ever.";

    public const string InvalidExpiryWarning = "ApiTokens:Policy:ExpiryWarning must be between 00:00:00 (no warnings) and 365.00:00:00.";
}
