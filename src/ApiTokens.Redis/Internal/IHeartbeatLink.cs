namespace ApiTokens.Redis.Internal;

/// <summary>What the <see cref="RedisHeartbeat"/> needs from the <see cref="RedisLink"/> (a seam, so it is tested without Redis).</summary>
internal interface IHeartbeatLink
{
    /// <summary>
    /// Completes once the link is <see cref="BackplaneState.Connected"/> (at once if it is), with the number of the
    /// connection: it changes with every failure, so a verdict on an older connection can be told apart.
    /// </summary>
    Task<long> WaitUntilConnectedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Hands this node's heartbeat to Redis without waiting for Redis to answer (fire and forget); false when it cannot even
    /// be handed over (the link is no longer connected, or the connection refuses at once).
    /// </summary>
    bool TrySendHeartbeat(string heartbeatId);

    /// <summary>The heartbeat sent on connection <paramref name="connection"/> did not come back within <paramref name="timeout"/>.</summary>
    void HeartbeatMissed(long connection, TimeSpan timeout);
}
