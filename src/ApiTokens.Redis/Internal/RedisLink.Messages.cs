using StackExchange.Redis;

namespace ApiTokens.Redis.Internal;

/// <summary>The link's receiving side: what arrives on the channel.</summary>
internal sealed partial class RedisLink
{
    /// <summary>
    /// Applies another node's change to this node's cache (counted as received, by kind); this node's own probe or heartbeat
    /// completes its check. A malformed message is logged, counted and ignored.
    /// </summary>
    private void OnMessage(RedisChannel channel, RedisValue value)
    {
        var message = RedisBackplaneMessage.Parse((byte[]?)value);
        if (message is null)
        {
            Log.Malformed(_logger, _settings.ChannelName);
            _metrics.Received(null);
            return;
        }

        if (string.Equals(message.Node, NodeId, StringComparison.Ordinal))
        {
            if (message.Kind == RedisBackplaneMessage.Probe)
            {
                lock (_gate)
                {
                    if (string.Equals(message.ProbeId, _probeId, StringComparison.Ordinal))
                    {
                        _probe?.TrySetResult();
                        return;
                    }
                }

                _heartbeat.Echoed(message.ProbeId!);
            }

            return;
        }

        switch (message.Kind)
        {
            case RedisBackplaneMessage.AccountChanged:
                _cache.ApplyAccountChange(message.AccountId!);
                _metrics.Received(message.Kind);
                break;
            case RedisBackplaneMessage.ClearAll:
                _cache.Clear();
                _metrics.Received(message.Kind);
                break;
        }
    }
}
