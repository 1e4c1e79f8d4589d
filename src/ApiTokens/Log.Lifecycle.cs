using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// The log lines of the stored audit trail, its retention and expiry warnings (event ids 1601–1649). They carry the user, the
/// token name, the action, counts and the fault, never a token, a hash or a header value.
/// <list type="table">
/// <item><term>1601</term><description>the audit store could not append an event; the change stands. Logged once per kind of exception until an append works again (Error)</description></item>
/// <item><term>1602</term><description>the audit store appends again after 1601, with how many events were lost (Warning)</description></item>
/// <item><term>1611</term><description>retention deleted stored audit events older than the cutoff (Information)</description></item>
/// <item><term>1612</term><description>retention could not delete old audit events; retried next round, logged once until it works again (Warning)</description></item>
/// <item><term>1621</term><description>an expiry warning was raised for a token (Information)</description></item>
/// <item><term>1622</term><description>an expiry-warning handler threw; swallowed, the warning is not raised again (Warning)</description></item>
/// <item><term>1623</term><description>the expiry-warning scan failed in the store; retried next round, logged once until it works again (Warning)</description></item>
/// <item><term>1624</term><description>the expiry-warning scan works again after 1623 (Information)</description></item>
/// <item><term>1625</term><description>the store does not implement <c>ListExpiringAsync</c> or <c>TryMarkExpiryWarnedAsync</c>: expiry warnings are off (Warning, at start-up)</description></item>
/// </list>
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1601, Level = LogLevel.Error,
        Message = "The API token audit store could not record {Action} of user {UserName} token {TokenName}; the change stands, the event is only in this log (logged once per kind of fault until the store works again)")]
    public static partial void AuditStoreFailed(ILogger logger, Exception exception, ApiTokenAuditAction action, string userName, string tokenName);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning,
        Message = "The API token audit store records events again; {Count} events were not stored (they are in this log as event 2001)")]
    public static partial void AuditStoreResumed(ILogger logger, int count);

    [LoggerMessage(EventId = 1611, Level = LogLevel.Information, Message = "Deleted {Count} API token audit events older than {Cutoff:O} (ApiTokens:Audit:Retention)")]
    public static partial void AuditRetentionDeleted(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 1612, Level = LogLevel.Warning,
        Message = "Could not delete old API token audit events; retried in {Interval} (logged once until it works again)")]
    public static partial void AuditRetentionFailed(ILogger logger, TimeSpan interval, Exception exception);

    [LoggerMessage(EventId = 1621, Level = LogLevel.Information, Message = "API token {TokenName} of user {UserName} expires at {ExpiresAt:O}: expiry warning raised")]
    public static partial void ExpiryWarningRaised(ILogger logger, string tokenName, string userName, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 1622, Level = LogLevel.Warning, Message = "Expiry warning handler {Handler} failed for API token {TokenName} of user {UserName}")]
    public static partial void ExpiryWarningHandlerFailed(ILogger logger, Exception exception, string handler, string tokenName, string userName);

    [LoggerMessage(EventId = 1623, Level = LogLevel.Warning,
        Message = "Could not look for API tokens about to expire; retried in {Interval} (logged once until it works again)")]
    public static partial void ExpiryScanFailed(ILogger logger, TimeSpan interval, Exception exception);

    [LoggerMessage(EventId = 1624, Level = LogLevel.Information, Message = "Looking for API tokens about to expire works again")]
    public static partial void ExpiryScanResumed(ILogger logger);

    [LoggerMessage(EventId = 1625, Level = LogLevel.Warning,
        Message = "The API token store {Store} does not implement {Methods} (it keeps the interface's default): expiry warnings are off until it does (ApiTokens:Policy:ExpiryWarning)")]
    public static partial void ExpiryStoreMethodsMissing(ILogger logger, string store, string methods);
}
