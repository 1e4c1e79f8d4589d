using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// Deletes stored audit events older than <c>ApiTokens:Audit:Retention</c>: <see cref="FirstRun"/> after the app starts, then
/// every <see cref="Interval"/> (on the app's <see cref="TimeProvider"/>), through <see cref="IApiTokenAuditStore.DeleteOlderThanAsync"/>
/// in a service scope of its own. Runs only when an audit store is registered and a retention is set. A store fault is logged
/// once until a round works again and retried next round; nothing here stops the app.
/// </summary>
internal sealed class AuditRetentionService : BackgroundService
{
    internal static readonly TimeSpan FirstRun = TimeSpan.FromMinutes(1);

    internal static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly TimeSpan? _retention;
    private readonly ILogger _logger;
    private PeriodicTimer? _timer;
    private bool _faulted;

    public AuditRetentionService(
        IServiceScopeFactory scopes, IServiceProvider services, TimeProvider time, IOptions<ApiTokenOptions> options, ILogger<AuditRetentionService> logger)
    {
        _scopes = scopes;
        _time = time;
        var hasStore = services.GetService<IServiceProviderIsService>()?.IsService(typeof(IApiTokenAuditStore)) ?? true;
        _retention = hasStore ? options.Value.Audit.Retention : null;
        _logger = logger;
    }

    /// <summary>Whether this app deletes old audit events (an audit store is registered and a retention is set).</summary>
    internal bool Enabled => _retention is not null;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The timer starts with the app, not when ExecuteAsync first runs on the thread pool: a clock moved right after the
        // app started is seen.
        if (Enabled)
        {
            _timer = new PeriodicTimer(FirstRun, _time);
        }

        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
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
                if (timer.Period != Interval)
                {
                    timer.Period = Interval; // after the first run, hourly
                }

                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>One round: deletes what is older than now minus the retention. Returns how many were deleted (0 on a fault). Never throws but for cancellation.</summary>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (_retention is not { } retention)
        {
            return 0;
        }

        var cutoff = _time.GetUtcNow() - retention;
        int deleted;
        try
        {
            var scope = _scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                if (scope.ServiceProvider.GetService<IApiTokenAuditStore>() is not { } store)
                {
                    return 0;
                }

                deleted = await store.DeleteOlderThanAsync(cutoff, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Retention must never take the app down: any fault is logged once and retried next round.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!_faulted)
            {
                _faulted = true;
                Log.AuditRetentionFailed(_logger, Interval, ex);
            }

            return 0;
        }

        _faulted = false;
        if (deleted > 0)
        {
            Log.AuditRetentionDeleted(_logger, deleted, cutoff);
        }

        return deleted;
    }
}
