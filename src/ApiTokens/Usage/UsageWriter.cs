using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// Writes the uses <see cref="UsageTracker"/> noted: every <c>ApiTokens:Usage:WriteInterval</c> (on the app's
/// <see cref="TimeProvider"/>) and once more when the app stops (bounded by <see cref="ShutdownBound"/>), through
/// <see cref="IApiTokenStore.RecordUsageAsync"/> in batches of <see cref="BatchSize"/>, in a service scope of its own. A store
/// fault keeps the uses for the next interval and is logged once until a write succeeds again; nothing here reaches a request.
/// Each batch written or failed counts in <c>apitokens.usage.flushes</c> (and its uses in <c>apitokens.usage.records</c>).
/// </summary>
internal sealed class UsageWriter : BackgroundService
{
    internal const int BatchSize = 500;

    internal static readonly TimeSpan ShutdownBound = TimeSpan.FromSeconds(5);

    private readonly UsageTracker _tracker;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly ApiTokensMetrics _metrics;
    private PeriodicTimer? _timer;
    private bool _faulted;

    public UsageWriter(
        UsageTracker tracker,
        IServiceScopeFactory scopes,
        TimeProvider time,
        IOptions<ApiTokenOptions> options,
        ILogger<UsageWriter> logger,
        IMeterFactory? meterFactory = null)
    {
        _metrics = ApiTokensMetrics.For(meterFactory);
        _tracker = tracker;
        _scopes = scopes;
        _time = time;
        _interval = options.Value.Usage.WriteInterval;
        _logger = logger;
    }

    /// <summary>
    /// Starts the interval here, not in <see cref="ExecuteAsync"/>: since .NET 10 that runs on a thread of its own after the host
    /// has started, so an interval begun there would start later than the app's clock says (a fake clock advanced right after
    /// start would never tick it).
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (_tracker.Enabled)
        {
            _timer = new PeriodicTimer(_interval, _time);
        }

        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // One bound for all of it: an interval's flush still running (a store that ignores cancellation) and the last flush.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(ShutdownBound);
        await base.StopAsync(bound.Token).ConfigureAwait(false);
        if (!_tracker.Enabled)
        {
            return;
        }

        var unwritten = await FlushAsync(bound.Token).ConfigureAwait(false);
        if (unwritten > 0)
        {
            Log.UsageLostAtShutdown(_logger, unwritten);
        }
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        _flushing.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is not { } timer)
        {
            return;
        }

        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: StopAsync writes what is left
        }
    }

    /// <summary>Writes every pending use. Returns how many could not be written (they are pending again). Never throws.</summary>
    internal async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _flushing.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return _tracker.CountPending(); // another flush still holds the store: these may not be written
        }

        try
        {
            var pending = _tracker.TakePending();
            for (var start = 0; start < pending.Count; start += BatchSize)
            {
                var batch = pending.GetRange(start, Math.Min(BatchSize, pending.Count - start));
                if (!await WriteAsync(batch, cancellationToken).ConfigureAwait(false))
                {
                    var unwritten = pending.Skip(start).ToList();
                    _tracker.Restore(unwritten);
                    return unwritten.Count;
                }
            }

            if (_faulted && pending.Count > 0)
            {
                _faulted = false;
                Log.UsageWriteResumed(_logger, pending.Count);
            }

            return 0;
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task<bool> WriteAsync(List<UsageTracker.Pending> batch, CancellationToken cancellationToken)
    {
        try
        {
            var scope = _scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var usages = batch.ConvertAll(p => p.Usage);
                await scope.ServiceProvider.GetRequiredService<IApiTokenStore>().RecordUsageAsync(usages, cancellationToken).ConfigureAwait(false);
            }

            _metrics.UsageFlushed(succeeded: true, batch.Count);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
#pragma warning disable CA1031 // A usage write must never take the app down or reach a request: any fault is logged once and retried.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _metrics.UsageFlushed(succeeded: false, batch.Count);
            if (!_faulted)
            {
                _faulted = true;
                Log.UsageWriteFailed(_logger, batch.Count, _interval, ex);
            }

            return false;
        }
    }
}
