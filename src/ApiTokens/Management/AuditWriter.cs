using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// Writes one audit event to the log, to the registered <see cref="IApiTokenAuditStore"/> (if any) and to every registered
/// <see cref="IApiTokenAuditSink"/>. A failing store or sink never undoes a change and never fails the call that made it.
/// </summary>
/// <remarks>
/// The audit store is resolved in a service scope of its own for each event: it may be scoped (the EF Core store and its
/// <c>DbContext</c>), this writer is a singleton, and an event must not be saved with (or fail because of) whatever else the
/// caller's <c>DbContext</c> tracks. An event is written even when the caller's request is cancelled after the change was made
/// (a client that hangs up must not leave a change unaudited), within <see cref="WriteBound"/>. A store fault is logged once per
/// kind of exception until an append works again, which logs how many events were lost.
/// </remarks>
internal sealed class AuditWriter
{
    internal static readonly TimeSpan WriteBound = TimeSpan.FromSeconds(10);

    private readonly IEnumerable<IApiTokenAuditSink> _sinks;
    private readonly IServiceScopeFactory _scopes;
    private readonly bool _hasStore;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _faultGate = new();
    private readonly HashSet<Type> _faultKinds = [];
    private int _lost;

    public AuditWriter(
        IEnumerable<IApiTokenAuditSink> sinks, IServiceScopeFactory scopes, IServiceProvider services, TimeProvider time, ILogger<ApiTokenManager> logger)
    {
        _sinks = sinks;
        _scopes = scopes;
        _hasStore = services.GetService<IServiceProviderIsService>()?.IsService(typeof(IApiTokenAuditStore)) ?? true;
        _time = time;
        _logger = logger;
    }

    /// <summary>Builds the event of a call made by <paramref name="actor"/> (or the owner, when the caller did not say) and writes it.</summary>
    public Task WriteAsync(
        ApiTokenAuditAction action, ApiTokenAccount? owner, string accountId, string? tokenName, string? newName, ApiTokenActor? actor,
        CancellationToken cancellationToken, IReadOnlyList<string>? changedFields = null, DateTimeOffset? expiresAt = null)
    {
        var auditEvent = new ApiTokenAuditEvent(
            action, accountId, owner?.UserName, tokenName, newName, _time.GetUtcNow(), actor?.UserName ?? owner?.UserName, actor?.RemoteAddress)
        {
            ChangedFields = changedFields,
            ExpiresAt = expiresAt,
        };
        return WriteAsync(auditEvent, cancellationToken);
    }

    /// <summary>Writes <paramref name="auditEvent"/> as it is (the background services raise events no person asked for). Never throws.</summary>
    public async Task WriteAsync(ApiTokenAuditEvent auditEvent, CancellationToken cancellationToken)
    {
        _ = cancellationToken; // the change is made: its event is written whatever the caller does now (see the remarks)
        if (_logger.IsEnabled(LogLevel.Information))
        {
            Log.Audit(
                _logger, auditEvent.Action, auditEvent.UserName ?? auditEvent.AccountId, auditEvent.TokenName ?? "*", auditEvent.NewTokenName ?? "-",
                auditEvent.Actor ?? "-", auditEvent.RemoteAddress ?? "-",
                auditEvent.ChangedFields is { Count: > 0 } fields ? string.Join(',', fields) : "-",
                auditEvent.ExpiresAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-");
        }
        using var bound = new CancellationTokenSource(WriteBound, _time);
        if (_hasStore)
        {
            await AppendAsync(auditEvent, bound.Token).ConfigureAwait(false);
        }

        foreach (var sink in _sinks)
        {
            try
            {
                await sink.WriteAsync(auditEvent, bound.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // An audit sink must never undo a stored change.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.AuditSinkFailed(_logger, ex, sink.GetType().Name);
            }
        }
    }

    private async Task AppendAsync(ApiTokenAuditEvent auditEvent, CancellationToken cancellationToken)
    {
        try
        {
            var scope = _scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                if (scope.ServiceProvider.GetService<IApiTokenAuditStore>() is not { } store)
                {
                    return;
                }

                await store.AppendAsync(auditEvent, cancellationToken).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // The audit store must never undo a stored change: any fault is logged (once per kind) and counted.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            bool first;
            lock (_faultGate)
            {
                _lost++;
                first = _faultKinds.Add(ex.GetType());
            }

            if (first)
            {
                Log.AuditStoreFailed(_logger, ex, auditEvent.Action, auditEvent.UserName ?? auditEvent.AccountId, auditEvent.TokenName ?? "*");
            }

            return;
        }

        int lost;
        lock (_faultGate)
        {
            lost = _lost;
            _lost = 0;
            _faultKinds.Clear();
        }

        if (lost > 0)
        {
            Log.AuditStoreResumed(_logger, lost);
        }
    }
}
