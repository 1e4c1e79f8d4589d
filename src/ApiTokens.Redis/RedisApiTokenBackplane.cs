using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ApiTokens.Redis;

/// <summary>
/// Carries every token and account change to every node through a Redis pub/sub channel. A change made here is
/// applied to this node's <see cref="ApiTokenCacheControl"/> at once and published in the background, so a management
/// call never waits for Redis; changes published by other nodes are applied to this node's cache as they arrive.
/// </summary>
/// <remarks>
/// While Redis cannot be reached (at start-up, after a dropped connection, after a failed publish) the node is
/// <em>degraded</em>: it logs one warning and trusts cached tokens for at most
/// <see cref="RedisBackplaneOptions.DegradedCacheLifetime"/>. When a probe published on the channel comes back
/// to this node's own subscription, Redis is back: the cache is cleared (it may have missed changes), the normal
/// cache lifetime is restored, changes made here meanwhile are published, and the recovery is logged.
/// </remarks>
public sealed partial class RedisApiTokenBackplane : IApiTokenChangeNotifier, IHostedService, IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan MinProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly ApiTokenCacheControl _cache;
    private readonly RedisBackplaneOptions _options;
    private readonly ILogger _logger;
    private readonly RedisChannel _channel;
    private readonly Channel<RedisBackplaneMessage> _outbox =
        Channel.CreateUnbounded<RedisBackplaneMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Queue<RedisBackplaneMessage> _pending = new();
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Action<RedisChannel, RedisValue> _handler;

    private IConnectionMultiplexer? _connection;
    private bool _ownsConnection;
    private bool _subscribed;
    private bool _healthy;
    private bool _warned;
    private bool _pendingOverflow;
    private TaskCompletionSource? _probe;
    private string? _probeId;
    private long _outages;
    private Task? _monitor;
    private Task? _pump;
    private int _disposed;

    /// <summary>Creates the backplane. Normally resolved from dependency injection (singleton).</summary>
    public RedisApiTokenBackplane(ApiTokenCacheControl cache, IOptions<RedisBackplaneOptions> options, ILogger<RedisApiTokenBackplane> logger)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _cache = cache;
        _options = options.Value;
        _logger = logger;
        _channel = RedisChannel.Literal(_options.ChannelName);
        _handler = OnMessage;
    }

    /// <summary>This node's id on the channel: messages carrying it are this node's own and are not applied twice.</summary>
    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>
    /// Whether the node is degraded: Redis is unreachable or not yet confirmed, and cached tokens are trusted for at
    /// most <see cref="RedisBackplaneOptions.DegradedCacheLifetime"/>. Useful for a health check.
    /// </summary>
    public bool IsDegraded
    {
        get
        {
            lock (_gate)
            {
                return !_healthy;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask AccountChangedAsync(string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        _cache.ApplyAccountChange(accountId);
        _outbox.Writer.TryWrite(new RedisBackplaneMessage(NodeId, RedisBackplaneMessage.AccountChanged, accountId));
        return default;
    }

    /// <summary>Starts in degraded mode and connects in the background: start-up never waits for Redis.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _healthy = false;
            _cache.LimitEntryAge(_options.DegradedCacheLifetime);
        }

        _monitor = Task.Run(() => MonitorAsync(_stopping.Token), CancellationToken.None);
        _pump = Task.Run(() => PumpAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Publishes what is still queued (briefly), then stops listening.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _outbox.Writer.TryComplete();
        if (_pump is not null)
        {
            await Task.WhenAny(_pump, Task.Delay(TimeSpan.FromSeconds(2), cancellationToken)).ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_monitor is not null)
        {
            await Task.WhenAny(_monitor, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        }

        if (_connection is { } connection && _subscribed)
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

    /// <inheritdoc />
    public void Dispose()
    {
        if (TryBeginDispose(out var owned))
        {
            owned?.Dispose();
            EndDispose();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (TryBeginDispose(out var owned))
        {
            if (owned is not null)
            {
                await owned.DisposeAsync().ConfigureAwait(false);
            }

            EndDispose();
        }
    }

    /// <summary>Stops the loops and unhooks events; <paramref name="owned"/> is the connection to dispose, if this backplane made it.</summary>
    private bool TryBeginDispose(out IConnectionMultiplexer? owned)
    {
        owned = null;

        // Registered under several service types, so the container may dispose it more than once.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return false;
        }

        _stopping.Cancel();
        _outbox.Writer.TryComplete();
        if (_connection is { } connection)
        {
            connection.ConnectionFailed -= OnConnectionFailed;
            connection.ConnectionRestored -= OnConnectionRestored;
            owned = _ownsConnection ? connection : null;
        }

        return true;
    }

    private void EndDispose()
    {
        _stopping.Dispose();
        _wake.Dispose();
    }

    /// <summary>Connects, subscribes and, while degraded, probes the channel until this node's own probe comes back.</summary>
    private async Task MonitorAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (IsDegraded)
                {
                    await TryRecoverAsync(stopping).ConfigureAwait(false);
                }

                await _wake.WaitAsync(_options.ProbeInterval, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The monitor must outlive any Redis failure; the next round retries.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                EnterDegraded("connection check failed", ex);
            }
        }
    }

    private async Task TryRecoverAsync(CancellationToken stopping)
    {
        var connection = _connection ?? await ConnectAsync().ConfigureAwait(false);
        if (!connection.IsConnected)
        {
            EnterDegraded("Redis is unreachable", null);
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
            catch (RedisException ex)
            {
                // The handler may already be registered locally: remove it so a retry does not apply messages twice.
                subscriber.Unsubscribe(_channel, _handler, CommandFlags.FireAndForget);
                EnterDegraded("subscribing to the channel failed", ex);
                return;
            }
        }

        var probeId = Guid.NewGuid().ToString("N");
        var probe = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long outages;
        lock (_gate)
        {
            _probe = probe;
            _probeId = probeId;
            outages = _outages;
        }

        var payload = Serialize(new RedisBackplaneMessage(NodeId, RedisBackplaneMessage.Probe, ProbeId: probeId));
        try
        {
            await subscriber.PublishAsync(_channel, payload).ConfigureAwait(false);
        }
        catch (RedisException ex)
        {
            EnterDegraded("publishing failed", ex);
            return;
        }

        // A generous wait: a slow round trip on a busy machine must not be mistaken for a dead subscription.
        var wait = _options.ProbeInterval > MinProbeTimeout ? _options.ProbeInterval : MinProbeTimeout;
        var returned = await Task.WhenAny(probe.Task, Task.Delay(wait, stopping)).ConfigureAwait(false);
        if (returned == probe.Task)
        {
            await RecoverAsync(outages).ConfigureAwait(false);
        }
        else if (!stopping.IsCancellationRequested)
        {
            // Connected but our own message did not come back: the subscription is not live. Subscribe again.
            subscriber.Unsubscribe(_channel, _handler, CommandFlags.FireAndForget);
            _subscribed = false;
            EnterDegraded("the subscription did not deliver", null);
        }
    }

    private async Task<IConnectionMultiplexer> ConnectAsync()
    {
        IConnectionMultiplexer connection;
        if (_options.ConnectionMultiplexerFactory is { } factory)
        {
            connection = await factory().ConfigureAwait(false);
        }
        else
        {
            var configuration = _options.ConfigurationOptions?.Clone() ?? ConfigurationOptions.Parse(_options.Configuration!);
            configuration.AbortOnConnectFail = false;

            // Fail at once while disconnected: the backplane keeps its own queue and a bounded degraded mode.
            configuration.BacklogPolicy = BacklogPolicy.FailFast;
            connection = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
            _ownsConnection = true;
        }

        connection.ConnectionFailed += OnConnectionFailed;
        connection.ConnectionRestored += OnConnectionRestored;
        _connection = connection;
        return connection;
    }

    /// <summary>The subscription is confirmed: drop what may have been missed, restore the lifetime, send what waited.</summary>
    /// <param name="outages">The outage count when the probe was sent: a failure since then means the probe proves nothing.</param>
    private async Task RecoverAsync(long outages)
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
            _healthy = true;
            wasWarned = _warned;
            _warned = false;
            waiting = _pending.Count + (_pendingOverflow ? 1 : 0);
        }

        if (wasWarned)
        {
            LogRecovered(_options.ChannelName, waiting);
        }
        else
        {
            LogConnected(_options.ChannelName, NodeId);
        }

        await FlushPendingAsync().ConfigureAwait(false);
    }

    /// <summary>Publishes the changes held back while degraded (a clear-all first if too many were lost).</summary>
    private async Task FlushPendingAsync()
    {
        List<RedisBackplaneMessage> pending;
        lock (_gate)
        {
            if (!_healthy)
            {
                return;
            }

            pending = [.. _pending];
            _pending.Clear();
            if (_pendingOverflow)
            {
                _pendingOverflow = false;
                pending.Insert(0, new RedisBackplaneMessage(NodeId, RedisBackplaneMessage.ClearAll));
            }
        }

        foreach (var message in pending)
        {
            await PublishOrKeepAsync(message).ConfigureAwait(false);
        }
    }

    private void EnterDegraded(string reason, Exception? exception)
    {
        bool warn;
        lock (_gate)
        {
            _outages++;
            _healthy = false;
            _cache.LimitEntryAge(_options.DegradedCacheLifetime);
            warn = !_warned;
            _warned = true;
        }

        if (warn)
        {
            LogDegraded(exception, reason, _options.ChannelName, _options.DegradedCacheLifetime);
        }
    }

    /// <summary>Publishes the outbox in order; a change that cannot be published waits for Redis to return.</summary>
    private async Task PumpAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var message in _outbox.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await PublishOrKeepAsync(message).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // The pump must outlive any failure, or changes would silently stop reaching other nodes.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    EnterDegraded("publishing failed", ex);
                    Keep(message);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task PublishOrKeepAsync(RedisBackplaneMessage message)
    {
        var connection = _connection;
        bool keep;
        lock (_gate)
        {
            // While degraded, keep order: what waits goes out first, on recovery.
            keep = connection is null || !_healthy;
        }

        if (!keep)
        {
            try
            {
                await connection!.GetSubscriber().PublishAsync(_channel, Serialize(message)).ConfigureAwait(false);
                return;
            }
            catch (RedisException ex)
            {
                LogPublishFailed(ex, message.Kind);
                EnterDegraded("publishing failed", ex);
                Wake();
            }
            catch (TimeoutException ex)
            {
                LogPublishFailed(ex, message.Kind);
                EnterDegraded("publishing timed out", ex);
                Wake();
            }
        }

        // Recovery may have flushed between the health check above and Keep: send it now rather than at the next outage.
        if (Keep(message))
        {
            await FlushPendingAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Holds a change back until Redis returns; past the limit, the other nodes will be told to clear everything.</summary>
    /// <returns>Whether the node is healthy again (so what was kept can go out now).</returns>
    private bool Keep(RedisBackplaneMessage message)
    {
        bool overflowed;
        bool healthy;
        lock (_gate)
        {
            healthy = _healthy;
            overflowed = false;
            if (!_pendingOverflow)
            {
                if (_pending.Count < _options.MaxPendingChanges)
                {
                    _pending.Enqueue(message);
                }
                else
                {
                    _pending.Clear();
                    _pendingOverflow = true;
                    overflowed = true;
                }
            }
        }

        if (overflowed)
        {
            LogPendingOverflow(_options.MaxPendingChanges);
        }

        return healthy;
    }

    private void OnMessage(RedisChannel channel, RedisValue value)
    {
        RedisBackplaneMessage? message;
        try
        {
            message = JsonSerializer.Deserialize((byte[])value!, RedisBackplaneJsonContext.Default.RedisBackplaneMessage);
        }
        catch (JsonException)
        {
            message = null;
        }

        if (message is null || string.IsNullOrEmpty(message.Node))
        {
            LogMalformed(_options.ChannelName);
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
                    }
                }
            }

            return;
        }

        switch (message.Kind)
        {
            case RedisBackplaneMessage.TokenChanged or RedisBackplaneMessage.AccountChanged when !string.IsNullOrEmpty(message.AccountId):
                _cache.ApplyAccountChange(message.AccountId);
                break;
            case RedisBackplaneMessage.ClearAll:
                _cache.Clear();
                break;
            case RedisBackplaneMessage.Probe:
                break;
            default:
                LogMalformed(_options.ChannelName);
                break;
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType is ConnectionType.Subscription or ConnectionType.Interactive)
        {
            EnterDegraded($"{e.ConnectionType} connection failed ({e.FailureType})", e.Exception);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => Wake();

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
        catch (ObjectDisposedException)
        {
            // Shutting down.
        }
    }

    private static byte[] Serialize(RedisBackplaneMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, RedisBackplaneJsonContext.Default.RedisBackplaneMessage);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning,
        Message = "Redis backplane unavailable on channel {Channel}: {Reason}. Changes from other nodes may be missed; cached tokens are trusted for at most {DegradedCacheLifetime} until Redis returns")]
    private partial void LogDegraded(Exception? exception, string reason, string channel, TimeSpan degradedCacheLifetime);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information,
        Message = "Redis backplane on channel {Channel} is back: verify cache cleared, normal cache lifetime restored, {PendingCount} held-back changes published")]
    private partial void LogRecovered(string channel, int pendingCount);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Redis backplane listening on channel {Channel} as node {NodeId}")]
    private partial void LogConnected(string channel, string nodeId);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Debug, Message = "Could not publish a {Kind} change; it is kept until Redis returns")]
    private partial void LogPublishFailed(Exception exception, string kind);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning,
        Message = "More than {MaxPendingChanges} changes are waiting for Redis; when it returns the other nodes will be told to clear their whole verify cache")]
    private partial void LogPendingOverflow(int maxPendingChanges);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Debug, Message = "Ignored a malformed message on channel {Channel}")]
    private partial void LogMalformed(string channel);
}
