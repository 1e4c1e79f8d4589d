using System.Diagnostics.Metrics;
using ApiTokens.Redis.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ApiTokens.Redis;

/// <summary>
/// Carries every account change to every node through a Redis pub/sub channel. A change made here is applied to this node's
/// cache at once and published in the background, in order, so a management call never waits for Redis; changes published by
/// other nodes are applied to this node's cache as they arrive. Register it with <c>AddApiTokens(...).AddRedisBackplane(...)</c>
/// and resolve it to watch <see cref="IsDegraded"/> or to wait with <see cref="FlushAsync"/>.
/// </summary>
/// <remarks>
/// While Redis cannot be reached (at start-up, after a dropped connection, after a failed publish, or when it hangs: this
/// node's heartbeat did not come back within <see cref="RedisBackplaneOptions.HeartbeatTimeout"/>) the node is
/// <em>degraded</em>: it logs one warning and trusts cached tokens for at most
/// <see cref="RedisBackplaneOptions.DegradedCacheLifetime"/>. Changes made meanwhile wait (at most
/// <see cref="RedisBackplaneOptions.MaxPendingChanges"/>, then one clear-all instead). When a probe published on the channel
/// comes back to this node's own subscription, Redis is back: the cache is cleared (it may have missed changes), the normal
/// cache lifetime is restored, the waiting changes are published, and the recovery is logged.
/// </remarks>
public sealed class RedisApiTokenBackplane : IApiTokenChangeNotifier, IApiTokenChangeFlusher, IHostedService, IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan StopFlushTimeout = TimeSpan.FromSeconds(2);

    private readonly ApiTokenCacheControl _cache;
    private readonly BackplaneSettings _settings;
    private readonly ILogger _logger;
    private readonly ChangeOutbox _outbox;
    private readonly RedisLink _link;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _running;
    private Task? _sending;
    private int _disposed;

    internal RedisApiTokenBackplane(
        ApiTokenCacheControl cache, IOptions<RedisBackplaneOptions> options, ILogger<RedisApiTokenBackplane> logger, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _cache = cache;
        _settings = ToSettings(options.Value);
        _logger = logger;
        _outbox = new ChangeOutbox(_settings.MaxPendingChanges);
        // The status gauge reads the link only when observed, after this constructor has set it.
        var metrics = new BackplaneMetrics(meterFactory, () => _link!.State, () => _outbox.Count);
        _link = new RedisLink(_settings, cache, logger, () => _outbox.Count, metrics);
    }

    /// <summary>
    /// Whether the node is degraded: Redis is unreachable or not yet confirmed, changes made here wait, and cached tokens are
    /// trusted for at most <see cref="RedisBackplaneOptions.DegradedCacheLifetime"/>. Useful for a health check.
    /// </summary>
    public bool IsDegraded => _link.State != BackplaneState.Connected;

    /// <summary>Where the link stands (the health check and the status gauge read it).</summary>
    internal BackplaneState State => _link.State;

    /// <summary>How many changes made here wait to be published.</summary>
    internal int PendingChanges => _outbox.Count;

    /// <summary>How long cached tokens are trusted while degraded.</summary>
    internal TimeSpan DegradedCacheLifetime => _settings.DegradedCacheLifetime;

    /// <summary>This node's id on the channel (tests tell nodes apart by it).</summary>
    internal string NodeId => _link.NodeId;

    /// <summary>Applies the change to this node's cache now and queues it for the other nodes.</summary>
    /// <param name="accountId">The account whose cached tokens are stale.</param>
    /// <param name="cancellationToken">Unused: the call never waits.</param>
    public ValueTask AccountChangedAsync(string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        _cache.ApplyAccountChange(accountId);
        if (_outbox.Add(accountId))
        {
            Log.PendingOverflow(_logger, _settings.MaxPendingChanges);
        }

        return default;
    }

    /// <summary>
    /// Waits until every change queued before this call has been published to the other nodes (a short-lived process, such as
    /// a command-line tool, calls it before it exits).
    /// </summary>
    /// <param name="timeout">How long to wait, including for Redis to be reached if the node is degraded.</param>
    /// <param name="cancellationToken">Stops waiting (throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>
    /// True when everything queued before the call was published (at once if nothing was queued); false when the timeout passed
    /// first (Redis unreachable, the node degraded) or the backplane has stopped. A false result still leaves the changes queued.
    /// </returns>
    public async Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        using var expired = new CancellationTokenSource(timeout, _settings.Time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(expired.Token, cancellationToken);
        var published = await _outbox.WhenPublishedAsync(wait.Token).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return published;
    }

    /// <summary>Starts in degraded mode and connects in the background: start-up never waits for Redis.</summary>
    /// <param name="cancellationToken">Not used: nothing here waits.</param>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        if (_running is not null)
        {
            return Task.CompletedTask;
        }

        _link.Begin();
        _running = Task.Run(() => _link.RunAsync(_stopping.Token), CancellationToken.None);
        _sending = Task.Run(() => SendAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Publishes what is still queued (for up to two seconds, if Redis is reachable), then stops listening.</summary>
    /// <param name="cancellationToken">Ends the wait early.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_running is null)
        {
            return;
        }

        if (!IsDegraded)
        {
            try
            {
                await FlushAsync(StopFlushTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Host shutdown is out of time: what is left stays unpublished.
            }
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _outbox.Close();
        try
        {
            await Task.WhenAll(_running, _sending!).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Host shutdown is out of time: the loops stop on their own after _stopping; a stop never fails the host.
            return;
        }

        await _link.UnsubscribeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (BeginDispose())
        {
            _link.Dispose();
            _stopping.Dispose();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (BeginDispose())
        {
            await _link.DisposeAsync().ConfigureAwait(false);
            _stopping.Dispose();
        }
    }

    /// <summary>Stops the loops; false if already disposed (registered under several service types, it may be disposed twice).</summary>
    private bool BeginDispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return false;
        }

        _stopping.Cancel();
        _outbox.Close();
        return true;
    }

    /// <summary>Publishes the outbox in order, each change once the link is connected; a failed one stays first in line.</summary>
    private async Task SendAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _outbox.WaitForChangeAsync(stopping).ConfigureAwait(false);
                await _link.WaitUntilConnectedAsync(stopping).ConfigureAwait(false);
                if (!_outbox.TryPeek(out var change))
                {
                    continue;
                }

                var message = change.IsClearAll
                    ? new RedisBackplaneMessage(_link.NodeId, RedisBackplaneMessage.ClearAll)
                    : new RedisBackplaneMessage(_link.NodeId, RedisBackplaneMessage.AccountChanged, change.AccountId);
                if (await _link.TryPublishAsync(message).ConfigureAwait(false))
                {
                    _outbox.Complete(change);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The sender must outlive any failure, or changes would silently stop reaching other nodes.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _link.Fail(Messages.PublishFailed, ex);
            }
        }
    }

    private static BackplaneSettings ToSettings(RedisBackplaneOptions options)
    {
        Func<Task<IConnectionMultiplexer>> connect;
        var owns = options.ConnectionMultiplexerFactory is null;
        if (options.ConnectionMultiplexerFactory is { } factory)
        {
            connect = factory;
        }
        else
        {
            var configuration = options.ConfigurationOptions?.Clone() ?? ConfigurationOptions.Parse(options.Configuration!);
            configuration.AbortOnConnectFail = false;

            // Fail at once while disconnected: the backplane keeps its own queue and a bounded degraded mode.
            configuration.BacklogPolicy = BacklogPolicy.FailFast;
            connect = async () => await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        }

        return new BackplaneSettings(
            options.ChannelName,
            options.DegradedCacheLifetime,
            options.ProbeInterval,
            options.HeartbeatInterval,
            options.HeartbeatTimeout,
            options.MaxPendingChanges,
            connect,
            owns,
            options.Clock);
    }
}
