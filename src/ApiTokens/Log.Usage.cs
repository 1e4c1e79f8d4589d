using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// The log lines of last-used tracking (event ids 1301–1399). They carry counts and the fault, never a token, an address or a
/// header value.
/// <list type="table">
/// <item><term>1301</term><description>the store refused or failed a usage write; the uses are kept and retried every interval, and this is logged once until a write succeeds again (Warning)</description></item>
/// <item><term>1302</term><description>usage writes succeed again after 1301 (Information)</description></item>
/// <item><term>1303</term><description>uses still unwritten when the app stopped were lost (the store failed or the shutdown bound passed) (Warning)</description></item>
/// </list>
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning,
        Message = "Could not record when {Count} API tokens were last used; kept in memory and retried every {Interval} (logged once until it works again). If the api_tokens table lacks the last_used_at and last_used_ip columns, add them (see the EF Core store's README)")]
    public static partial void UsageWriteFailed(ILogger logger, int count, TimeSpan interval, Exception exception);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Recording when API tokens were last used works again ({Count} written)")]
    public static partial void UsageWriteResumed(ILogger logger, int count);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Stopped with the last use of {Count} API tokens unwritten")]
    public static partial void UsageLostAtShutdown(ILogger logger, int count);
}
