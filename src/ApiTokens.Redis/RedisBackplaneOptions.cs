using ApiTokens.Redis.Internal;
using StackExchange.Redis;

namespace ApiTokens.Redis;

/// <summary>
/// Configures the Redis backplane: where Redis is, which pub/sub channel carries the changes, and how long
/// cached tokens are trusted while Redis cannot be reached. Bind it from <c>ApiTokens:Redis</c>; it is validated at start-up.
/// </summary>
public sealed class RedisBackplaneOptions
{
    /// <summary>The default channel name.</summary>
    public const string DefaultChannelName = "apitokens:invalidations";

    private static readonly TimeSpan MaxHeartbeat = TimeSpan.FromHours(1);

    /// <summary>
    /// The StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c> or
    /// <c>redis.internal:6379,password=...,ssl=true</c>. Ignored when <see cref="ConfigurationOptions"/> or
    /// <see cref="ConnectionMultiplexerFactory"/> is set.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// Full StackExchange.Redis options; used instead of <see cref="Configuration"/> when set.
    /// <c>AbortOnConnectFail</c> is always turned off, so a node starts (degraded) while Redis is down.
    /// </summary>
    public ConfigurationOptions? ConfigurationOptions { get; set; }

    /// <summary>
    /// Supplies a connection the app already has. The backplane does not dispose it. Create it with
    /// <c>AbortOnConnectFail=false</c> so that start-up does not fail while Redis is down.
    /// </summary>
    public Func<Task<IConnectionMultiplexer>>? ConnectionMultiplexerFactory { get; set; }

    /// <summary>
    /// The pub/sub channel. Apps that share one Redis but not one token store need different channels;
    /// nodes of one app must use the same one. Default <see cref="DefaultChannelName"/>.
    /// </summary>
    public string ChannelName { get; set; } = DefaultChannelName;

    /// <summary>
    /// While Redis cannot be reached (or the subscription is down), a cached token is trusted for at most this
    /// long before the store is read again: the staleness bound in degraded mode. Default 5 seconds.
    /// </summary>
    public TimeSpan DegradedCacheLifetime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a degraded node checks whether Redis is back. Default 1 second.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a connected node publishes a heartbeat on the channel and expects it back through its own subscription
    /// within <see cref="HeartbeatTimeout"/>. This is how a node notices a Redis that hangs (connections open, nothing
    /// answered), which closes no connection and fails nothing else. Default 1 second: one small message per node per
    /// second, and every other node receives (and ignores) it. At most 1 hour.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a heartbeat may take to come back before the node enters degraded mode. A hung Redis is noticed within
    /// <see cref="HeartbeatInterval"/> plus this, so a change made on another node is seen within that plus
    /// <see cref="DegradedCacheLifetime"/> (8 seconds with the defaults). Default 2 seconds: a round trip takes
    /// milliseconds, and a busy node must not be taken for a dead Redis (every recovery clears the verify cache). Keep it
    /// below the StackExchange.Redis command timeout (5 seconds by default), which would otherwise be noticed first. At
    /// most 1 hour.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How many changes made on this node may wait to be published (while Redis is unreachable, or while a burst goes out);
    /// they are published in order when it can. One more replaces them all with a single message telling the other nodes to
    /// clear their whole cache. Default 10,000.
    /// </summary>
    public int MaxPendingChanges { get; set; } = 10_000;

    /// <summary>
    /// The clock of the backplane's own waits (probe and heartbeat intervals and timeouts, <see cref="RedisApiTokenBackplane.FlushAsync"/>).
    /// These wait for the network, so they run on the system clock even when the app's <see cref="TimeProvider"/> is faked.
    /// </summary>
    internal TimeProvider Clock { get; set; } = TimeProvider.System;

    internal IEnumerable<string> Validate()
    {
        if (ConnectionMultiplexerFactory is null && ConfigurationOptions is null && string.IsNullOrWhiteSpace(Configuration))
        {
            yield return Messages.NoConnection;
        }

        if (string.IsNullOrWhiteSpace(ChannelName))
        {
            yield return Messages.NoChannelName;
        }

        if (DegradedCacheLifetime <= TimeSpan.Zero)
        {
            yield return Messages.DegradedCacheLifetimeNotPositive;
        }

        if (ProbeInterval <= TimeSpan.Zero)
        {
            yield return Messages.ProbeIntervalNotPositive;
        }

        if (HeartbeatInterval <= TimeSpan.Zero || HeartbeatInterval > MaxHeartbeat)
        {
            yield return Messages.HeartbeatIntervalOutOfRange;
        }

        if (HeartbeatTimeout <= TimeSpan.Zero || HeartbeatTimeout > MaxHeartbeat)
        {
            yield return Messages.HeartbeatTimeoutOutOfRange;
        }

        if (MaxPendingChanges < 0)
        {
            yield return Messages.MaxPendingChangesNegative;
        }
    }
}
