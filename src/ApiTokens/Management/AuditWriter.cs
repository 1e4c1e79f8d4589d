using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>Writes one audit event to the log and to every registered <see cref="IApiTokenAuditSink"/>; a failing sink never undoes a change.</summary>
internal sealed class AuditWriter(IEnumerable<IApiTokenAuditSink> sinks, TimeProvider time, ILogger<ApiTokenManager> logger)
{
    public async Task WriteAsync(
        ApiTokenAuditAction action, ApiTokenAccount? owner, string accountId, string? tokenName, string? newName, ApiTokenActor? actor,
        CancellationToken cancellationToken, IReadOnlyList<string>? changedFields = null, DateTimeOffset? expiresAt = null)
    {
        var auditEvent = new ApiTokenAuditEvent(
            action, accountId, owner?.UserName, tokenName, newName, time.GetUtcNow(), actor?.UserName ?? owner?.UserName, actor?.RemoteAddress)
        {
            ChangedFields = changedFields,
            ExpiresAt = expiresAt,
        };
        Log.Audit(logger, action, auditEvent.UserName ?? accountId, tokenName ?? "*", newName ?? "-", auditEvent.Actor ?? "-", auditEvent.RemoteAddress ?? "-");
        foreach (var sink in sinks)
        {
            try
            {
                await sink.WriteAsync(auditEvent, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // An audit sink must never undo a stored change.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.AuditSinkFailed(logger, ex, sink.GetType().Name);
            }
        }
    }
}
