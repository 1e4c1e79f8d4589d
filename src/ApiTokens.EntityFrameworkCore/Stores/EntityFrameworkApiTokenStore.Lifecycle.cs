using Microsoft.EntityFrameworkCore;

namespace ApiTokens.EntityFrameworkCore;

/// <content>
/// The token lifecycle: the cross-account lookup for leak revocation (<see cref="FindAllBySelectorAsync"/>) and the expiry-warning
/// scan and mark (<see cref="ListExpiringAsync"/>, <see cref="TryMarkExpiryWarnedAsync"/>).
/// </content>
public sealed partial class EntityFrameworkApiTokenStore<TContext>
{
    /// <inheritdoc />
    /// <remarks>
    /// One round trip: <c>UNION ALL</c> of the rows whose selector matches (index <c>ix_api_tokens_selector</c>) and those whose
    /// previous selector matches (<c>ix_api_tokens_previous_selector_account_id</c>), each row once, re-checked exactly.
    /// </remarks>
    public async Task<IReadOnlyList<ApiToken>> FindAllBySelectorAsync(string selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var bySelector = Tokens.AsNoTracking().Where(e => e.Selector == selector);
        var byPrevious = Tokens.AsNoTracking().Where(e => e.PreviousSelector == selector);
        var rows = await bySelector.Concat(byPrevious).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows
            .Where(e => string.Equals(e.Selector, selector, StringComparison.Ordinal)
                || string.Equals(e.PreviousSelector, selector, StringComparison.Ordinal))
            .DistinctBy(e => e.Id)
            .OrderBy(e => e.Id)
            .Select(ApiTokenEntityMapper.ToToken)
            .ToArray();
    }

    /// <inheritdoc />
    /// <remarks>
    /// One query over the index <c>ix_api_tokens_expires_at</c>: <c>@after &lt; expires_at &lt;= @until AND (expiry_warned_for IS
    /// NULL OR expiry_warned_for &lt;&gt; expires_at) ORDER BY expires_at, id LIMIT @limit</c>, with the bounds in whole seconds (as
    /// expiries are stored).
    /// </remarks>
    public async Task<IReadOnlyList<ApiToken>> ListExpiringAsync(
        DateTimeOffset after, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        var (from, to) = (after.ToUnixTimeSeconds(), until.ToUnixTimeSeconds());
        var rows = await Tokens.AsNoTracking()
            .Where(e => e.ExpiresAt > from && e.ExpiresAt <= to && (e.ExpiryWarnedFor == null || e.ExpiryWarnedFor != e.ExpiresAt))
            .OrderBy(e => e.ExpiresAt)
            .ThenBy(e => e.Id)
            .Take(limit)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(ApiTokenEntityMapper.ToToken).ToArray();
    }

    /// <inheritdoc />
    /// <remarks>
    /// One conditional statement, <c>UPDATE api_tokens SET expiry_warned_for = @e WHERE id = @id AND account_id = @a AND expires_at
    /// = @e AND (expiry_warned_for IS NULL OR expiry_warned_for &lt;&gt; @e)</c>: of many nodes racing, the database lets exactly one
    /// change the row. It never touches <c>concurrency_stamp</c>, so an update read before it still succeeds. An expiry with a
    /// fraction of a second never matches (expiries are stored in whole seconds).
    /// </remarks>
    public async Task<bool> TryMarkExpiryWarnedAsync(string accountId, Guid tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        var at = expiresAt.ToUnixTimeSeconds();
        if (DateTimeOffset.FromUnixTimeSeconds(at) != expiresAt)
        {
            return false;
        }

        var updated = await Tokens
            .Where(e => e.Id == tokenId && e.AccountId == accountId && e.ExpiresAt == at
                && (e.ExpiryWarnedFor == null || e.ExpiryWarnedFor != at))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ExpiryWarnedFor, at), cancellationToken)
            .ConfigureAwait(false);
        return updated == 1;
    }
}
