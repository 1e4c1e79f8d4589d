namespace ApiTokens;

public sealed partial class ApiTokenManager
{
    /// <summary>Whether an audit store is registered, so <see cref="QueryAuditAsync"/> can answer.</summary>
    public bool HasAuditTrail => _auditStore is not null;

    /// <summary>
    /// Reads stored audit events, newest first, paged (<see cref="ApiTokenAuditQuery.Take"/> is clamped to
    /// <see cref="ApiTokenAuditQuery.MaxTake"/>). Set <see cref="ApiTokenAuditQuery.AccountId"/> to show a person their own account's
    /// history: leaving it out reads every account's.
    /// </summary>
    /// <exception cref="InvalidOperationException">No audit store is registered (see <see cref="HasAuditTrail"/>).</exception>
    /// <exception cref="ApiTokenStoreUnavailableException">The audit store cannot be reached.</exception>
    public Task<ApiTokenAuditPage> QueryAuditAsync(ApiTokenAuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var store = _auditStore ?? throw new InvalidOperationException(Messages.NoAuditStore);
        var bounded = query with { Skip = Math.Max(0, query.Skip), Take = Math.Clamp(query.Take, 0, ApiTokenAuditQuery.MaxTake) };
        return GuardReadAsync(() => store.QueryAsync(bounded, cancellationToken), "audit", cancellationToken);
    }
}
