namespace ApiTokens.Redis.Internal;

/// <summary>Where the <see cref="RedisLink"/> stands; only <see cref="Connected"/> is healthy.</summary>
internal enum BackplaneState
{
    /// <summary>Redis is unreachable or not yet confirmed: cached tokens are trusted for the degraded lifetime only.</summary>
    Degraded,

    /// <summary>Connected and subscribed; a probe is on its way through the channel and has not come back yet.</summary>
    Recovering,

    /// <summary>This node's own probe came back: changes flow both ways and the normal cache lifetime applies.</summary>
    Connected,
}
