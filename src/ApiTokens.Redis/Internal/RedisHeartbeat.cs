namespace ApiTokens.Redis.Internal;

/// <summary>
/// Notices a Redis that hangs. While the link is connected, every interval this node publishes a heartbeat on the channel
/// and expects it back through its own subscription within the timeout; when it does not come back the link degrades, so the
/// cache trusts entries for the degraded lifetime only, exactly as if the connection had dropped. Recovery is the link's:
/// its probe (the same round trip) proves the channel again and clears what may have been missed.
/// </summary>
/// <remarks>
/// A frozen Redis (SIGSTOP, a stuck host, a saturated network) keeps every socket open: no connection event fires, and a
/// node that publishes nothing never sees a command fail, so without this a node trusts its cache for the full lifetime.
/// Only this node's own heartbeat counts: another node's heartbeat arriving shows that Redis delivers to this node, not that
/// it takes what this node publishes. The heartbeat never waits on Redis: it is sent fire and forget, and the verdict is
/// the timeout's, not the command's. On the wire it is a probe message, which every version of the backplane ignores when it
/// comes from another node, so it never looks like a change.
/// </remarks>
internal sealed class RedisHeartbeat
{
    private readonly IHeartbeatLink _link;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private string? _expected;
    private TaskCompletionSource? _echo;

    /// <param name="link">The link whose channel is checked and which degrades on a miss.</param>
    /// <param name="interval">How often a heartbeat is sent while connected.</param>
    /// <param name="timeout">How long it may take to come back.</param>
    /// <param name="time">The clock of the waits (the system clock outside tests).</param>
    public RedisHeartbeat(IHeartbeatLink link, TimeSpan interval, TimeSpan timeout, TimeProvider time)
    {
        _link = link;
        _interval = interval;
        _timeout = timeout;
        _time = time;
    }

    /// <summary>Sends a heartbeat every interval while the link is connected, until <paramref name="stopping"/>.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var failed = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (failed)
                {
                    failed = false;
                    await Task.Delay(_interval, _time, stopping).ConfigureAwait(false);
                }

                var connection = await _link.WaitUntilConnectedAsync(stopping).ConfigureAwait(false);

                // The next beat is due one interval after this one started, however long this one takes.
                var next = Task.Delay(_interval, _time, stopping);
                if (!await BeatAsync(stopping).ConfigureAwait(false))
                {
                    _link.HeartbeatMissed(connection, _timeout);
                }

                await next.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The heartbeat must outlive any failure, or a hung Redis would go unnoticed again.
            catch (Exception)
#pragma warning restore CA1031
            {
                failed = true;
            }
        }
    }

    /// <summary>This node's own heartbeat came back through the subscription (the link calls it; any other id is ignored).</summary>
    public void Echoed(string heartbeatId)
    {
        lock (_gate)
        {
            if (string.Equals(heartbeatId, _expected, StringComparison.Ordinal))
            {
                _echo?.TrySetResult();
            }
        }
    }

    /// <summary>One heartbeat: true when it came back within the timeout.</summary>
    private async Task<bool> BeatAsync(CancellationToken stopping)
    {
        var id = Guid.NewGuid().ToString("N");
        var echo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _expected = id;
            _echo = echo;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        try
        {
            // The deadline runs from before the send, so a send that is slow to return cannot stretch it.
            var deadline = Task.Delay(_timeout, _time, wait.Token);
            if (!_link.TrySendHeartbeat(id))
            {
                return false;
            }

            var first = await Task.WhenAny(echo.Task, deadline).ConfigureAwait(false);
            stopping.ThrowIfCancellationRequested();
            return first == echo.Task;
        }
        finally
        {
            await wait.CancelAsync().ConfigureAwait(false);
            lock (_gate)
            {
                _expected = null;
                _echo = null;
            }
        }
    }
}
