using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ApiTokens.Redis.Internal;

/// <summary>
/// This node's link to the channel: the connection, the subscription and the probe, as a state machine
/// (<see cref="BackplaneState.Degraded"/> → <see cref="BackplaneState.Recovering"/> → <see cref="BackplaneState.Connected"/>,
/// and back on any failure or a missed <see cref="RedisHeartbeat"/>). It applies what other nodes publish to this node's
/// cache and publishes what it is given, but queues nothing: waiting changes are the <see cref="ChangeOutbox"/>'s.
/// </summary>
/// <remarks>
/// Degraded, the cache trusts entries for at most the degraded lifetime (<see cref="ApiTokenCacheControl.LimitEntryAge"/>) and
/// one warning is logged per outage. A probe published on the channel that comes back to this node's own subscription proves
/// both directions work: the cache is cleared (it may have missed changes), the normal lifetime restored
/// (<see cref="ApiTokenCacheControl.ResetEntryAge"/>), and <see cref="WaitUntilConnectedAsync"/> lets the sender go.
/// </remarks>
internal sealed partial class RedisLink : IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan MinProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly BackplaneSettings _settings;
    private readonly ApiTokenCacheControl _cache;
    private readonly ILogger _logger;
    private readonly Func<int> _pendingChanges;
    private readonly RedisChannel _channel;
    private readonly Action<RedisChannel, RedisValue> _handler;
    private readonly Lock _gate = new();
    private readonly WakeSignal _wake = new();
    private readonly RedisHeartbeat _heartbeat;
    private readonly BackplaneMetrics _metrics;

    private BackplaneState _state = BackplaneState.Degraded;
    private TaskCompletionSource _connected = NewSignal();
    private IConnectionMultiplexer? _connection;
    private bool _subscribed;
    private bool _warned;
    private TaskCompletionSource? _probe;
    private string? _probeId;
    private long _outages;
    private int _disposed;

    /// <param name="settings">Channel, lifetimes, connection.</param>
    /// <param name="cache">This node's verify cache.</param>
    /// <param name="logger">Where the 6xxx events go.</param>
    /// <param name="pendingChanges">How many changes wait to be published (for the recovery log line).</param>
    /// <param name="metrics">Where published and received messages and outages are counted.</param>
    public RedisLink(BackplaneSettings settings, ApiTokenCacheControl cache, ILogger logger, Func<int> pendingChanges, BackplaneMetrics metrics)
    {
        _metrics = metrics;
        _settings = settings;
        _cache = cache;
        _logger = logger;
        _pendingChanges = pendingChanges;
        _channel = RedisChannel.Literal(settings.ChannelName);
        _handler = OnMessage;
        _heartbeat = new RedisHeartbeat(this, settings.HeartbeatInterval, settings.HeartbeatTimeout, settings.Time);
    }

    /// <summary>This node's id on the channel: messages carrying it are this node's own and are not applied twice.</summary>
    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    public BackplaneState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Degraded from the start: the cache trusts entries for the degraded lifetime until the first probe returns.</summary>
    public void Begin()
    {
        lock (_gate)
        {
            _state = BackplaneState.Degraded;
            _cache.LimitEntryAge(_settings.DegradedCacheLifetime);
        }
    }

    /// <summary>Completes once the link is <see cref="BackplaneState.Connected"/> (at once if it is).</summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _connected.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Runs the probe loop and, while connected, the heartbeat, until <paramref name="stopping"/>.</summary>
    public Task RunAsync(CancellationToken stopping) => Task.WhenAll(ProbeAsync(stopping), _heartbeat.RunAsync(stopping));

    /// <summary>Connects, subscribes and, while not connected, probes every probe interval (or sooner when woken).</summary>
    private async Task ProbeAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var wake = _wake.Next();
            try
            {
                if (State != BackplaneState.Connected)
                {
                    await TryRecoverAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The link must outlive any Redis failure; the next round retries.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                EnterDegraded(Messages.CheckFailed, ex);
            }

            await Task.WhenAny(wake, Task.Delay(_settings.ProbeInterval, _settings.Time, stopping)).ConfigureAwait(false);
        }
    }

    /// <summary>Publishes <paramref name="message"/> if connected; on failure the link degrades and false is returned.</summary>
    public async Task<bool> TryPublishAsync(RedisBackplaneMessage message)
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

        try
        {
            await connection.GetSubscriber().PublishAsync(_channel, RedisBackplaneMessage.Serialize(message)).ConfigureAwait(false);
            _metrics.Published(message.Kind);
            return true;
        }
        catch (RedisException ex)
        {
            Log.PublishFailed(_logger, ex, message.Kind);
            Fail(Messages.PublishFailed, ex);
        }
        catch (TimeoutException ex)
        {
            Log.PublishFailed(_logger, ex, message.Kind);
            Fail(Messages.PublishTimedOut, ex);
        }

        return false;
    }

    /// <summary>Something using the link failed: degrade, and check again at once.</summary>
    public void Fail(string reason, Exception? exception)
    {
        EnterDegraded(reason, exception);
        _wake.Set();
    }

    /// <summary>Stops listening on the channel (shutting down).</summary>
    public async Task UnsubscribeAsync()
    {
        IConnectionMultiplexer? connection;
        lock (_gate)
        {
            connection = _subscribed ? _connection : null;
            _subscribed = false;
        }

        if (connection is not null)
        {
            try
            {
                await connection.GetSubscriber().UnsubscribeAsync(_channel, _handler).ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Shutting down while Redis is away: nothing to undo on the server.
            }
        }
    }

    public void Dispose() => Detach()?.Dispose();

    public async ValueTask DisposeAsync()
    {
        if (Detach() is { } owned)
        {
            await owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Unhooks the connection's events; returns it when it is the link's to dispose. Only the first call does anything.</summary>
    private IConnectionMultiplexer? Detach()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1 || _connection is not { } connection)
        {
            return null;
        }

        connection.ConnectionFailed -= OnConnectionFailed;
        connection.ConnectionRestored -= OnConnectionRestored;
        return _settings.OwnsConnection ? connection : null;
    }

    private async Task TryRecoverAsync(CancellationToken stopping)
    {
        var connection = _connection ?? await ConnectAsync().ConfigureAwait(false);
        if (!connection.IsConnected)
        {
            EnterDegraded(Messages.Unreachable, null);
            return;
        }

        var subscriber = connection.GetSubscriber();
        if (!_subscribed)
        {
            try
            {
                await subscriber.SubscribeAsync(_channel, _handler).ConfigureAwait(false);
                _subscribed = true;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // The handler may already be registered locally: remove it so a retry does not apply messages twice.
                subscriber.Unsubscribe(_channel, _handler, CommandFlags.FireAndForget);
                EnterDegraded(Messages.SubscribeFailed, ex);
                return;
            }
        }

        var probeId = Guid.NewGuid().ToString("N");
        var probe = NewSignal();
        long outages;
        lock (_gate)
        {
            _probe = probe;
            _probeId = probeId;
            outages = _outages;
            if (_state == BackplaneState.Degraded)
            {
                _state = BackplaneState.Recovering;
            }
        }

        try
        {
            var payload = RedisBackplaneMessage.Serialize(new RedisBackplaneMessage(NodeId, RedisBackplaneMessage.Probe, ProbeId: probeId));
            await subscriber.PublishAsync(_channel, payload).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            EnterDegraded(Messages.PublishFailed, ex);
            return;
        }

        // A generous wait: a slow round trip on a busy machine must not be mistaken for a dead subscription.
        var wait = _settings.ProbeInterval > MinProbeTimeout ? _settings.ProbeInterval : MinProbeTimeout;
        var returned = await Task.WhenAny(probe.Task, Task.Delay(wait, _settings.Time, stopping)).ConfigureAwait(false);
        if (returned == probe.Task)
        {
            Recover(outages);
        }
        else if (!stopping.IsCancellationRequested)
        {
            // Connected but our own message did not come back: the subscription is not live. Subscribe again.
            subscriber.Unsubscribe(_channel, _handler, CommandFlags.FireAndForget);
            _subscribed = false;
            EnterDegraded(Messages.SubscriptionSilent, null);
        }
    }

    private async Task<IConnectionMultiplexer> ConnectAsync()
    {
        var connection = await _settings.Connect().ConfigureAwait(false);
        connection.ConnectionFailed += OnConnectionFailed;
        connection.ConnectionRestored += OnConnectionRestored;
        lock (_gate)
        {
            _connection = connection;
        }

        return connection;
    }

    /// <summary>The probe came back: drop what may have been missed, restore the lifetime, let waiting changes go.</summary>
    /// <param name="outages">The outage count when the probe was sent: a failure since then means the probe proves nothing.</param>
    private void Recover(long outages)
    {
        bool wasWarned;
        int waiting;
        lock (_gate)
        {
            if (outages != _outages)
            {
                return;
            }

            _cache.Clear();
            _cache.ResetEntryAge();
            _state = BackplaneState.Connected;
            wasWarned = _warned;
            _warned = false;
            waiting = _pendingChanges();
            _connected.TrySetResult();
        }

        if (wasWarned)
        {
            Log.Recovered(_logger, _settings.ChannelName, waiting);
        }
        else
        {
            Log.Connected(_logger, _settings.ChannelName, NodeId);
        }
    }

    /// <summary>Degrades, warning once per outage; given a <paramref name="connection"/>, only if still connected on that one.</summary>
    private void EnterDegraded(string reason, Exception? exception, long? connection = null)
    {
        bool warn;
        lock (_gate)
        {
            if (connection is { } expected && (_state != BackplaneState.Connected || _outages != expected))
            {
                return;
            }

            _outages++;
            if (_state == BackplaneState.Connected)
            {
                _metrics.Outage();
            }

            _state = BackplaneState.Degraded;
            if (_connected.Task.IsCompleted)
            {
                _connected = NewSignal();
            }

            _cache.LimitEntryAge(_settings.DegradedCacheLifetime);
            warn = !_warned;
            _warned = true;
        }

        if (warn)
        {
            Log.Degraded(_logger, exception, reason, _settings.ChannelName, _settings.DegradedCacheLifetime);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType is ConnectionType.Subscription or ConnectionType.Interactive)
        {
            EnterDegraded(Messages.ConnectionFailed(e.ConnectionType.ToString(), e.FailureType.ToString()), e.Exception);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => _wake.Set();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
