using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// The log lines of the health checks (event ids 1801–1849), one per change of state, not one per check (the health check
/// service logs every run itself). They carry the reason and the fault, never a connection string, a token or a user.
/// <list type="table">
/// <item><term>1801</term><description>the store check turned Unhealthy: the store failed or did not answer in time (Warning)</description></item>
/// <item><term>1802</term><description>the store check passes again after 1801 (Information)</description></item>
/// <item><term>1803</term><description>the hashing check turned Degraded: Argon2 runs queue or were refused busy (Warning)</description></item>
/// <item><term>1804</term><description>the hashing check is Healthy again after 1803 (Information)</description></item>
/// </list>
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1801, Level = LogLevel.Warning, Message = "API token store health check failed: {Reason}")]
    public static partial void StoreCheckFailed(ILogger logger, Exception? exception, string reason);

    [LoggerMessage(EventId = 1802, Level = LogLevel.Information, Message = "API token store health check passes again")]
    public static partial void StoreCheckRecovered(ILogger logger);

    [LoggerMessage(EventId = 1803, Level = LogLevel.Warning, Message = "API token hashing is saturated: {Reason}")]
    public static partial void HashingSaturated(ILogger logger, string reason);

    [LoggerMessage(EventId = 1804, Level = LogLevel.Information, Message = "API token hashing is no longer saturated")]
    public static partial void HashingRecovered(ILogger logger);
}
