using Microsoft.Extensions.Logging;

namespace ApiTokens.Redis.Internal;

/// <summary>
/// Every log line of the Redis backplane, with stable event ids (the 6xxx range). None carries a connection string, a
/// password, a token or a hash: they name the channel, this node's id, a count and the reason.
/// <list type="table">
/// <item><term>6001</term><description>degraded: Redis unreachable or the subscription silent, once per outage (Warning)</description></item>
/// <item><term>6002</term><description>recovered after an outage: cache cleared, lifetime restored, held-back changes sent (Information)</description></item>
/// <item><term>6003</term><description>connected and listening for the first time (Information)</description></item>
/// <item><term>6004</term><description>a change could not be published; it waits for Redis (Debug)</description></item>
/// <item><term>6005</term><description>too many changes waited; the other nodes will clear their whole cache (Warning)</description></item>
/// <item><term>6006</term><description>a malformed message on the channel was ignored (Debug)</description></item>
/// </list>
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning,
        Message = "Redis backplane unavailable on channel {Channel}: {Reason}. Changes from other nodes may be missed; cached tokens are trusted for at most {DegradedCacheLifetime} until Redis returns")]
    public static partial void Degraded(ILogger logger, Exception? exception, string reason, string channel, TimeSpan degradedCacheLifetime);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information,
        Message = "Redis backplane on channel {Channel} is back: verify cache cleared, normal cache lifetime restored, {PendingCount} held-back changes published")]
    public static partial void Recovered(ILogger logger, string channel, int pendingCount);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Redis backplane listening on channel {Channel} as node {NodeId}")]
    public static partial void Connected(ILogger logger, string channel, string nodeId);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Debug, Message = "Could not publish a {Kind} change; it is kept until Redis returns")]
    public static partial void PublishFailed(ILogger logger, Exception exception, string kind);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning,
        Message = "More than {MaxPendingChanges} changes are waiting for Redis; when it returns the other nodes will be told to clear their whole verify cache")]
    public static partial void PendingOverflow(ILogger logger, int maxPendingChanges);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Debug, Message = "Ignored a malformed message on channel {Channel}")]
    public static partial void Malformed(ILogger logger, string channel);
}
