using Microsoft.EntityFrameworkCore;

namespace ApiTokens.EntityFrameworkCore;

/// <summary>
/// An <see cref="IApiTokenAuditStore"/> over Entity Framework Core: the table <c>api_token_audit</c> that
/// <c>modelBuilder.AddApiTokens()</c> maps next to the token table (same model, same schema). Register it with
/// <c>AddEntityFrameworkAuditStore&lt;TContext&gt;()</c>.
/// </summary>
/// <typeparam name="TContext">A context whose model includes <c>modelBuilder.AddApiTokens()</c>.</typeparam>
/// <remarks>
/// <para>
/// Each append is one <c>INSERT</c> run as a plain command, outside the change tracker, so it never saves another pending change of a
/// shared context. Text longer than its column (a long actor or address) is cut rather than refused. Times are stored in Unix
/// milliseconds, so queries and retention are exact to the millisecond; events are read newest first, by time and then by the
/// increasing row id, so events of one millisecond come back in the reverse order they were appended.
/// </para>
/// <para>
/// A database fault (unreachable, timeout) is thrown as the provider's exception, as the token store does; the manager turns it
/// into <see cref="ApiTokenStoreUnavailableException"/> for <c>QueryAuditAsync</c>, and the audit writer logs a failed append
/// without undoing the change it records.
/// </para>
/// </remarks>
public sealed class EntityFrameworkApiTokenAuditStore<TContext> : IApiTokenAuditStore
    where TContext : DbContext
{
    private readonly TContext _context;

    /// <summary>Creates the store over <paramref name="context"/>.</summary>
    public EntityFrameworkApiTokenAuditStore(TContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
    }

    private DbSet<ApiTokenAuditEntity> Events => _context.Set<ApiTokenAuditEntity>();

    /// <inheritdoc />
    public async Task AppendAsync(ApiTokenAuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var row = ApiTokenAuditEntityMapper.ToEntity(auditEvent);
        await _context.Database.ExecuteSqlRawAsync(AuditInsert.For(_context).Sql, AuditInsert.Parameters(_context, row), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A count and one page: <c>WHERE account_id = @a AND time &gt;= @since AND time &lt; @until ORDER BY time DESC, id DESC</c> over the
    /// index (account_id, time), or (time) for every account. The account is re-checked exactly, so a case-insensitive collation
    /// cannot show another account's events. A negative skip counts as 0; take is clamped to 0 … <see cref="ApiTokenAuditQuery.MaxTake"/>.
    /// A row whose action this version does not know (written by a newer one) is left out of the page.
    /// </remarks>
    public async Task<ApiTokenAuditPage> QueryAsync(ApiTokenAuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var matching = Events.AsNoTracking();
        if (query.AccountId is { } accountId)
        {
            matching = matching.Where(e => e.AccountId == accountId);
        }

        if (query.Since is { } since)
        {
            var from = since.ToUnixTimeMilliseconds();
            matching = matching.Where(e => e.Time >= from);
        }

        if (query.Until is { } until)
        {
            var to = until.ToUnixTimeMilliseconds();
            matching = matching.Where(e => e.Time < to);
        }

        var total = await matching.CountAsync(cancellationToken).ConfigureAwait(false);
        var skip = Math.Max(0, query.Skip);
        var take = Math.Clamp(query.Take, 0, ApiTokenAuditQuery.MaxTake);
        if (take == 0 || skip >= total)
        {
            return new ApiTokenAuditPage([], total);
        }

        var rows = await matching
            .OrderByDescending(e => e.Time)
            .ThenByDescending(e => e.Id)
            .Skip(skip)
            .Take(take)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var events = rows
            .Where(e => query.AccountId is null || string.Equals(e.AccountId, query.AccountId, StringComparison.Ordinal))
            .Select(ApiTokenAuditEntityMapper.ToEvent)
            .OfType<ApiTokenAuditEvent>()
            .ToArray();
        return new ApiTokenAuditPage(events, total);
    }

    /// <inheritdoc />
    /// <remarks>One <c>DELETE … WHERE time &lt; @cutoff</c> over the index (time).</remarks>
    public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var before = cutoff.ToUnixTimeMilliseconds();
        return Events.Where(e => e.Time < before).ExecuteDeleteAsync(cancellationToken);
    }
}
