namespace ApiTokens.Redis.Internal;

/// <summary>
/// Every sentence this package shows to a person: start-up validation for developers and the reasons operators read in the
/// degraded-mode warning. None carries a connection string, a token or a hash.
/// </summary>
internal static class Messages
{
    // Options validation (start-up): each names the setting and what to do.
    public const string NoConnection =
        "ApiTokens:Redis needs a connection: pass a configuration string such as \"127.0.0.1:6379\" to AddRedisBackplane, or an IConnectionMultiplexer.";

    public const string NoChannelName = "ApiTokens:Redis:ChannelName must not be empty: give the channel the nodes of this app share.";

    public const string DegradedCacheLifetimeNotPositive =
        "ApiTokens:Redis:DegradedCacheLifetime must be positive (it bounds staleness while Redis is down), for example 00:00:05.";

    public const string ProbeIntervalNotPositive = "ApiTokens:Redis:ProbeInterval must be positive, for example 00:00:01.";

    public const string HeartbeatIntervalOutOfRange =
        "ApiTokens:Redis:HeartbeatInterval must be positive and at most 01:00:00 (it bounds how long a hung Redis goes unnoticed), for example 00:00:01.";

    public const string HeartbeatTimeoutOutOfRange =
        "ApiTokens:Redis:HeartbeatTimeout must be positive and at most 01:00:00 (how long a heartbeat may take to come back), for example 00:00:02.";

    public const string MaxPendingChangesNegative = "ApiTokens:Redis:MaxPendingChanges must not be negative, for example 10000.";

    // Why a node is degraded (the {Reason} of log event 6001).
    public const string Unreachable = "Redis is unreachable";

    public const string CheckFailed = "connection check failed";

    public const string SubscribeFailed = "subscribing to the channel failed";

    public const string PublishFailed = "publishing failed";

    public const string PublishTimedOut = "publishing timed out";

    public const string SubscriptionSilent = "the subscription did not deliver";

    public static string HeartbeatMissed(TimeSpan timeout) =>
        $"this node's heartbeat did not come back through the subscription within {timeout} (Redis is not answering)";

    public static string ConnectionFailed(string connectionType, string failureType) => $"{connectionType} connection failed ({failureType})";

    // The health check's answers (apitokens.backplane): no channel, node id, host or connection string.
    public const string BackplaneConnected = "Redis connected: changes made on any node reach this node's cache.";

    public static string BackplaneDegraded(TimeSpan degradedCacheLifetime, int pending) =>
        "Redis lost, failing or silent, or not yet confirmed by this node's probe: tokens still verify here, cached ones are trusted " +
        $"for at most {degradedCacheLifetime.TotalSeconds:0.###} s, and {pending} changes made here wait to be published.";
}
