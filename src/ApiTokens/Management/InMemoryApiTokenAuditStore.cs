namespace ApiTokens;

/// <summary>
/// A thread-safe in-memory audit store for tests and samples (<c>AddInMemoryAuditStore()</c>): every event the manager raises is
/// kept until <see cref="DeleteOlderThanAsync"/> removes it (retention, <c>ApiTokens:Audit:Retention</c>) or the app stops.
/// </summary>
public sealed class InMemoryApiTokenAuditStore : IApiTokenAuditStore
{
    private readonly Lock _gate = new();
    private readonly List<ApiTokenAuditEvent> _events = [];

    /// <summary>How many events are stored.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>Every stored event, in the order they were appended (oldest append first).</summary>
    public IReadOnlyList<ApiTokenAuditEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <inheritdoc />
    public Task AppendAsync(ApiTokenAuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _events.Add(auditEvent);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// <see cref="ApiTokenAuditQuery.AccountId"/> compares exactly; <see cref="ApiTokenAuditQuery.Since"/> is inclusive and
    /// <see cref="ApiTokenAuditQuery.Until"/> exclusive. A negative skip counts as 0; take is clamped to 0 …
    /// <see cref="ApiTokenAuditQuery.MaxTake"/>.
    /// </remarks>
    public Task<ApiTokenAuditPage> QueryAsync(ApiTokenAuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var skip = Math.Max(0, query.Skip);
        var take = Math.Clamp(query.Take, 0, ApiTokenAuditQuery.MaxTake);
        lock (_gate)
        {
            // Appended order is the tie-break: walk it backwards and sort stably by time, newest first.
            var matching = new List<ApiTokenAuditEvent>();
            for (var i = _events.Count - 1; i >= 0; i--)
            {
                var e = _events[i];
                if ((query.AccountId is null || string.Equals(e.AccountId, query.AccountId, StringComparison.Ordinal))
                    && (query.Since is not { } since || e.Time >= since)
                    && (query.Until is not { } until || e.Time < until))
                {
                    matching.Add(e);
                }
            }

            IReadOnlyList<ApiTokenAuditEvent> page = [.. matching.OrderByDescending(e => e.Time).Skip(skip).Take(take)];
            return Task.FromResult(new ApiTokenAuditPage(page, matching.Count));
        }
    }

    /// <inheritdoc />
    public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_events.RemoveAll(e => e.Time < cutoff));
        }
    }
}
