using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// Every log line of this package, with stable event ids. None carries a token, a hash or a header value: they name the user,
/// the token name and the reason.
/// <list type="table">
/// <item><term>1001–1099</term><description>the whm scheme: see Log.Authentication.cs</description></item>
/// <item><term>1101</term><description>store or account provider unavailable during verification (Warning)</description></item>
/// <item><term>1102</term><description>a stored hash was upgraded to today's parameters (Information)</description></item>
/// <item><term>1103</term><description>verification failed unexpectedly; fails closed (Error)</description></item>
/// <item><term>1201–1299</term><description>legacy credentials imported from cPanel: see Log.Legacy.cs</description></item>
/// <item><term>2001</term><description>audit: every action (created, updated, rotated, revoked, revoked all, revoked as leaked, imported, expiry warning), with the changed field names and the expiry (Information)</description></item>
/// <item><term>2002</term><description>an audit sink failed (Warning)</description></item>
/// <item><term>2003</term><description>store unavailable during a management call (Error)</description></item>
/// </list>
/// Other packages use their own ranges: 4xxx the EF Core store, 5xxx the page, 6xxx the Redis backplane.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "API token store or account provider unavailable; authentication fails closed")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Upgraded the hash parameters of API token {TokenName}")]
    public static partial void Rehashed(ILogger logger, string tokenName);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "API token verification failed unexpectedly; authentication fails closed")]
    public static partial void VerificationFailed(ILogger logger, Exception exception);

    /// <summary>
    /// The audit event itself, every action, whether or not an audit store keeps it: <paramref name="changedFields"/> (field names,
    /// never values) for an update, <paramref name="expiresAt"/> for a rotation (when the old value stops) or an expiry warning;
    /// <c>-</c> when there is none.
    /// </summary>
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "API token audit: {Action} user {UserName} token {TokenName} new name {NewTokenName} by {Actor} from {RemoteAddress} changed {ChangedFields} expires {ExpiresAt}")]
    public static partial void Audit(
        ILogger logger, ApiTokenAuditAction action, string userName, string tokenName, string? newTokenName, string? actor, string? remoteAddress,
        string changedFields, string expiresAt);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "API token audit sink {Sink} failed")]
    public static partial void AuditSinkFailed(ILogger logger, Exception exception, string sink);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "API token store unavailable during {Operation}")]
    public static partial void StoreFault(ILogger logger, Exception exception, string operation);
}
