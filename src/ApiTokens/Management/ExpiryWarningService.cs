using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// Raises expiry warnings (<c>ApiTokens:Policy:ExpiryWarning</c>): every <see cref="ScanInterval"/> (on the app's
/// <see cref="TimeProvider"/>) it asks the store for tokens that expire within the window and were not warned for that expiry
/// (<see cref="IApiTokenStore.ListExpiringAsync"/>, in pages of <see cref="BatchSize"/>), and for each one that this node marks
/// first (<see cref="IApiTokenStore.TryMarkExpiryWarnedAsync"/>: of many nodes exactly one wins) writes an
/// <see cref="ApiTokenAuditAction.ExpiryWarning"/> event (log, audit store, sinks) and calls every registered
/// <see cref="IApiTokenExpiryWarningHandler"/>. Off when the window is 0.
/// </summary>
/// <remarks>
/// Each round runs in a service scope of its own (the store, the account provider and the handlers may be scoped). A store or
/// account-provider fault ends the round, is logged once until a round works again, and is retried next round: a token not
/// marked yet is warned then. A handler's exception is logged and swallowed; the warning is not raised again. Nothing here
/// stops the app, and a stop cancels a round at once.
/// </remarks>
internal sealed class ExpiryWarningService : BackgroundService
{
    /// <summary>How many tokens one store call lists.</summary>
    internal const int BatchSize = 100;

    /// <summary>The most pages one round reads; any more tokens are warned next round.</summary>
    internal const int MaxPagesPerRound = 50;

    /// <summary>The longest time between two rounds.</summary>
    internal static readonly TimeSpan MaxScanInterval = TimeSpan.FromMinutes(5);

    private readonly IServiceScopeFactory _scopes;
    private readonly AuditWriter _audit;
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly ILogger _logger;
    private PeriodicTimer? _timer;
    private readonly Lock _faultGate = new();
    private bool _faulted;

    public ExpiryWarningService(
        IServiceScopeFactory scopes, AuditWriter audit, TimeProvider time, IOptions<ApiTokenOptions> options, ILogger<ExpiryWarningService> logger)
    {
        _scopes = scopes;
        _audit = audit;
        _time = time;
        _window = options.Value.Policy.ExpiryWarning;
        _logger = logger;
        ScanInterval = IntervalFor(_window);
    }

    /// <summary>Whether warnings are raised (<c>ApiTokens:Policy:ExpiryWarning</c> is not 0).</summary>
    internal bool Enabled => _window > TimeSpan.Zero;

    /// <summary>
    /// The time between two rounds: <see cref="MaxScanInterval"/>, or half the window when that is shorter (at least one second),
    /// so a token is warned well before it expires however short the window.
    /// </summary>
    internal TimeSpan ScanInterval { get; }

    internal static TimeSpan IntervalFor(TimeSpan window)
    {
        var half = window / 2;
        return half >= MaxScanInterval ? MaxScanInterval : half < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : half;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The timer starts with the app, not when ExecuteAsync first runs on the thread pool: a clock moved right after the
        // app started is seen.
        if (Enabled)
        {
            _timer = new PeriodicTimer(ScanInterval, _time);
            CheckStore();
        }

        return base.StartAsync(cancellationToken);
    }

    /// <summary>
    /// A store, or a decorator, written before <see cref="IApiTokenStore.ListExpiringAsync"/> and
    /// <see cref="IApiTokenStore.TryMarkExpiryWarnedAsync"/> existed keeps the interface's defaults (nothing expiring, never
    /// marked), so no warning would ever be raised and nothing would say so: one warning (1625) names the store type. Never
    /// throws: a store that cannot be made now fails the first round, which logs that.
    /// </summary>
    internal void CheckStore()
    {
        Type type;
        try
        {
            var scope = _scopes.CreateScope();
            using (scope)
            {
                type = scope.ServiceProvider.GetRequiredService<IApiTokenStore>().GetType();
            }
        }
#pragma warning disable CA1031 // Checking the store's shape must never stop the app: the first round reports a store that fails.
        catch (Exception)
#pragma warning restore CA1031
        {
            return;
        }

        var missing = StoreMethods.Missing(type, nameof(IApiTokenStore.ListExpiringAsync), nameof(IApiTokenStore.TryMarkExpiryWarnedAsync));
        if (missing.Count > 0)
        {
            Log.ExpiryStoreMethodsMissing(_logger, StoreMethods.NameOf(type), string.Join(" and ", missing));
        }
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
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>One round. Returns how many warnings this node raised. Never throws but for cancellation.</summary>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return 0;
        }

        var raised = 0;
        try
        {
            var scope = _scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var services = scope.ServiceProvider;
                var store = services.GetRequiredService<IApiTokenStore>();
                var accounts = services.GetRequiredService<IApiTokenAccountProvider>();
                var handlers = services.GetServices<IApiTokenExpiryWarningHandler>().ToArray();
                var now = _time.GetUtcNow();
                var seen = new HashSet<(Guid, DateTimeOffset)>();
                for (var page = 0; page < MaxPagesPerRound; page++)
                {
                    var batch = await store.ListExpiringAsync(now, now + _window, BatchSize, cancellationToken).ConfigureAwait(false);
                    var fresh = 0;
                    foreach (var token in batch)
                    {
                        if (token.ExpiresAt is not { } expiresAt || !seen.Add((token.Id, expiresAt)))
                        {
                            continue; // a store that lists a token again (it did not keep the mark) is not asked for it twice
                        }

                        fresh++;
                        if (await TryRaiseAsync(store, accounts, handlers, token, expiresAt, cancellationToken).ConfigureAwait(false))
                        {
                            raised++;
                        }
                    }

                    if (batch.Count < BatchSize || fresh == 0)
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Expiry warnings must never take the app down: a fault is logged once and the round retried next time.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            lock (_faultGate)
            {
                if (_faulted)
                {
                    return raised;
                }

                _faulted = true;
            }

            Log.ExpiryScanFailed(_logger, ScanInterval, ex);
            return raised;
        }

        bool resumed;
        lock (_faultGate)
        {
            resumed = _faulted;
            _faulted = false;
        }

        if (resumed)
        {
            Log.ExpiryScanResumed(_logger);
        }

        return raised;
    }

    private async Task<bool> TryRaiseAsync(
        IApiTokenStore store, IApiTokenAccountProvider accounts, IApiTokenExpiryWarningHandler[] handlers, ApiToken token, DateTimeOffset expiresAt,
        CancellationToken cancellationToken)
    {
        // The owner is read before the mark: an account provider that fails leaves the token unmarked, for the next round.
        var owner = await accounts.FindByIdAsync(token.AccountId, cancellationToken).ConfigureAwait(false);
        if (!await store.TryMarkExpiryWarnedAsync(token.AccountId, token.Id, expiresAt, cancellationToken).ConfigureAwait(false))
        {
            return false; // another node raised it, or the token changed since it was listed
        }

        var warned = token with { ExpiryWarnedFor = expiresAt };
        var userName = owner?.UserName ?? token.AccountId;
        Log.ExpiryWarningRaised(_logger, token.Name, userName, expiresAt);
        await _audit.WriteAsync(
            new ApiTokenAuditEvent(ApiTokenAuditAction.ExpiryWarning, token.AccountId, owner?.UserName, token.Name, null, _time.GetUtcNow(), null, null)
            {
                ExpiresAt = expiresAt,
            },
            cancellationToken).ConfigureAwait(false);
        foreach (var handler in handlers)
        {
            try
            {
                await handler.OnExpiryWarningAsync(warned, owner, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A host's handler must never stop the warnings of other tokens or take the app down.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ExpiryWarningHandlerFailed(_logger, ex, handler.GetType().Name, token.Name, userName);
            }
        }

        return true;
    }
}
