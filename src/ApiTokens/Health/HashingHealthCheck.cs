using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// Whether Argon2 keeps up: Degraded while at least <see cref="ApiTokensHealthCheckOptions.DegradedHashQueueLength"/> runs wait
/// for a slot of the <see cref="HashGate"/>, or a run found no slot in time within
/// <see cref="ApiTokensHealthCheckOptions.BusyWindow"/>. Never Unhealthy: cached tokens are still served at full speed. Reads
/// counters only, so it answers at once.
/// </summary>
internal sealed class HashingHealthCheck : IHealthCheck
{
    private readonly HashGate _gate;
    private readonly TimeProvider _time;
    private readonly ApiTokensHealthCheckOptions _options;
    private readonly ILogger _logger;
    private int _saturated;

    public HashingHealthCheck(HashGate gate, TimeProvider time, IOptions<ApiTokensHealthCheckOptions> options, ILogger<HashingHealthCheck> logger)
    {
        _gate = gate;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var queued = _gate.QueueLength;
        var active = _gate.ActiveHashes;
        var slots = _gate.MaxConcurrentHashes;
        var threshold = _options.DegradedHashQueueLength > 0 ? _options.DegradedHashQueueLength : slots;
        var lastBusy = _gate.LastBusyTicks;
        var recentlyBusy = lastBusy != long.MinValue && _time.GetUtcNow().UtcTicks - lastBusy < _options.BusyWindow.Ticks;
        var data = new Dictionary<string, object>
        {
            ["queued"] = queued,
            ["active"] = active,
            ["slots"] = slots,
        };

        string? reason = queued >= threshold ? Messages.HashingQueued(queued, slots)
            : recentlyBusy ? Messages.HashingRecentlyBusy(queued, slots)
            : null;
        if (reason is null)
        {
            if (Interlocked.Exchange(ref _saturated, 0) == 1)
            {
                Log.HashingRecovered(_logger);
            }

            return Task.FromResult(HealthCheckResult.Healthy(Messages.HashingIdle(active, slots), data));
        }

        if (Interlocked.Exchange(ref _saturated, 1) == 0)
        {
            Log.HashingSaturated(_logger, reason);
        }

        data["threshold"] = threshold;
        return Task.FromResult(HealthCheckResult.Degraded(reason, data: data));
    }
}
