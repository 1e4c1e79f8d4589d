using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// Whether the token store answers: one <see cref="IApiTokenStore.FindBySelectorAsync"/> for a selector no token has (the
/// indexed read every uncached request makes), in a service scope of its own, within
/// <see cref="ApiTokensHealthCheckOptions.StoreTimeout"/> on the app's clock. Unhealthy when it throws or does not answer in
/// time. A singleton: a hung query keeps its scope until it ends, and later checks wait on that one query instead of piling
/// up more against a stuck store.
/// </summary>
internal sealed class StoreHealthCheck : IHealthCheck
{
    /// <summary>The account and selector the probe reads: no token is expected, and whatever it finds is ignored.</summary>
    internal const string ProbeAccountId = "apitokens-health-check";

    internal const string ProbeSelector = "HEALTHCHECKPROBE";

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task? _probe;
    private int _failing;

    public StoreHealthCheck(
        IServiceScopeFactory scopes, TimeProvider time, IOptions<ApiTokensHealthCheckOptions> options, ILogger<StoreHealthCheck> logger)
    {
        _scopes = scopes;
        _time = time;
        _timeout = options.Value.StoreTimeout;
        _logger = logger;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Task probe;
        lock (_gate)
        {
            if (_probe is null || _probe.IsCompleted)
            {
                _probe = Task.Run(ProbeAsync, CancellationToken.None);
            }

            probe = _probe;
        }

        try
        {
            await probe.WaitAsync(_timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return Fail(Messages.StoreTimedOut(_timeout), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any fault of the store is an Unhealthy answer, never an exception out of the check.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The probe's own deadline (a store that honours cancellation) reads as a timeout, not a fault.
            return ex is OperationCanceledException ? Fail(Messages.StoreTimedOut(_timeout), null) : Fail(Messages.StoreFailed, ex);
        }

        if (Interlocked.Exchange(ref _failing, 0) == 1)
        {
            Log.StoreCheckRecovered(_logger);
        }

        return HealthCheckResult.Healthy(Messages.StoreAnswered);
    }

    private async Task ProbeAsync()
    {
        using var deadline = new CancellationTokenSource(_timeout, _time);
        var scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var store = scope.ServiceProvider.GetRequiredService<IApiTokenStore>();
            await store.FindBySelectorAsync(ProbeAccountId, ProbeSelector, deadline.Token).ConfigureAwait(false);
        }
    }

    private HealthCheckResult Fail(string reason, Exception? exception)
    {
        if (Interlocked.Exchange(ref _failing, 1) == 0)
        {
            Log.StoreCheckFailed(_logger, exception, reason);
        }

        return HealthCheckResult.Unhealthy(reason, exception);
    }
}
