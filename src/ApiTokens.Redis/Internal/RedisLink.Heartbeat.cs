using StackExchange.Redis;

namespace ApiTokens.Redis.Internal;

/// <summary>The link's side of the <see cref="RedisHeartbeat"/>: when to beat, how to send, and what a miss does.</summary>
internal sealed partial class RedisLink : IHeartbeatLink
{
    /// <inheritdoc />
    async Task<long> IHeartbeatLink.WaitUntilConnectedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task connected;
            lock (_gate)
            {
                if (_state == BackplaneState.Connected)
                {
                    return _outages;
                }

                connected = _connected.Task;
            }

            await connected.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    bool IHeartbeatLink.TrySendHeartbeat(string heartbeatId)
    {
        IConnectionMultiplexer? connection;
        lock (_gate)
        {
            connection = _state == BackplaneState.Connected ? _connection : null;
        }

        if (connection is null)
        {
            return false;
        }

        // A probe message: other nodes (of every version) ignore a probe that is not theirs, and it changes nothing.
        var payload = RedisBackplaneMessage.Serialize(new RedisBackplaneMessage(NodeId, RedisBackplaneMessage.Probe, ProbeId: heartbeatId));
        try
        {
            // Fire and forget: nothing waits for Redis to answer, so a hung Redis holds up nothing; the echo is the answer.
            connection.GetSubscriber().Publish(_channel, payload, CommandFlags.FireAndForget);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    void IHeartbeatLink.HeartbeatMissed(long connection, TimeSpan timeout)
    {
        EnterDegraded(Messages.HeartbeatMissed(timeout), null, connection);
        _wake.Set();
    }
}
