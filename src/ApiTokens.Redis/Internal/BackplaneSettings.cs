using StackExchange.Redis;

namespace ApiTokens.Redis.Internal;

/// <summary>What the internal parts need from the options, read once when the backplane is created.</summary>
/// <param name="ChannelName">The pub/sub channel shared by the nodes of one app.</param>
/// <param name="DegradedCacheLifetime">How long a cached token is trusted while changes may be missed.</param>
/// <param name="ProbeInterval">How often a degraded node checks whether Redis is back.</param>
/// <param name="HeartbeatInterval">How often a connected node sends itself a heartbeat through the channel.</param>
/// <param name="HeartbeatTimeout">How long the heartbeat may take to come back before the node degrades.</param>
/// <param name="MaxPendingChanges">How many changes may wait before they are replaced by one clear-all.</param>
/// <param name="Connect">Opens (or hands over) the connection; called until it succeeds.</param>
/// <param name="OwnsConnection">Whether the connection from <paramref name="Connect"/> is the backplane's to dispose.</param>
/// <param name="Time">The clock for the backplane's own waits (network round trips, not cache ages).</param>
internal sealed record BackplaneSettings(
    string ChannelName,
    TimeSpan DegradedCacheLifetime,
    TimeSpan ProbeInterval,
    TimeSpan HeartbeatInterval,
    TimeSpan HeartbeatTimeout,
    int MaxPendingChanges,
    Func<Task<IConnectionMultiplexer>> Connect,
    bool OwnsConnection,
    TimeProvider Time);
