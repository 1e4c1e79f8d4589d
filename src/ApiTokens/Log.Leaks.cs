using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// The log lines of leak revocation (<c>MapLeakedTokenRevocation</c>; event ids 1701–1749). None carries a reported value, a
/// selector or a hash: they name the reporter's address, counts, the token name and what happened. Each revocation is also an
/// audit line (2001, <c>RevokedAsLeaked</c>).
/// <list type="table">
/// <item><term>1701</term><description>a leak report was handled: how many values, how many looked up, revoked, previous values ended (Information)</description></item>
/// <item><term>1702</term><description>a leak handler (<see cref="IApiTokenLeakHandler"/>) failed; the token stays revoked (Warning)</description></item>
/// <item><term>1703</term><description>some candidates of a report could not be checked now (hash gate busy or throttled): answered 503 (Warning)</description></item>
/// <item><term>1704</term><description>the store was unavailable during a report: answered 503 (Warning)</description></item>
/// <item><term>1705</term><description>the store does not implement <c>FindAllBySelectorAsync</c>: leaks are never revoked (Warning, once per store type)</description></item>
/// <item><term>1706</term><description>a report was refused (bad body, wrong content type): answered 400 or 415 (Debug)</description></item>
/// <item><term>1707</term><description>a report was refused by the rate limit: answered 429 (Debug)</description></item>
/// </list>
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1701, Level = LogLevel.Information,
        Message = "Leak report from {RemoteAddress}: {Received} values ({Distinct} distinct), {LookedUp} looked up, {Revoked} tokens revoked, {PreviousEnded} previous values ended")]
    public static partial void LeakReportHandled(
        ILogger logger, string remoteAddress, int received, int distinct, int lookedUp, int revoked, int previousEnded);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "Leak handler {Handler} failed for API token {TokenName}; the token stays revoked")]
    public static partial void LeakHandlerFailed(ILogger logger, Exception exception, string handler, string tokenName);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Warning,
        Message = "Leak report from {RemoteAddress}: {Unchecked} candidate tokens could not be checked now (hash gate busy or throttled); answered 503, {Revoked} revoked so far")]
    public static partial void LeakReportIncomplete(ILogger logger, string remoteAddress, int @unchecked, int revoked);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Warning, Message = "Leak report from {RemoteAddress}: the API token store is unavailable; answered 503")]
    public static partial void LeakReportStoreUnavailable(ILogger logger, string remoteAddress);

    [LoggerMessage(EventId = 1705, Level = LogLevel.Warning,
        Message = "The API token store {Store} does not implement FindAllBySelectorAsync: reported leaks of its tokens are never revoked")]
    public static partial void LeakLookupNotImplemented(ILogger logger, string store);

    [LoggerMessage(EventId = 1706, Level = LogLevel.Debug, Message = "Leak report from {RemoteAddress} refused with {StatusCode}: {Reason}")]
    public static partial void LeakReportRefused(ILogger logger, string remoteAddress, int statusCode, string reason);

    [LoggerMessage(EventId = 1707, Level = LogLevel.Debug, Message = "Leak report from {RemoteAddress} refused by the rate limit (429)")]
    public static partial void LeakReportRateLimited(ILogger logger, string remoteAddress);
}
