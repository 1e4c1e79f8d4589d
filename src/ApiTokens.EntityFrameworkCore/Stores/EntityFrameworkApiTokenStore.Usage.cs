using Microsoft.EntityFrameworkCore;

namespace ApiTokens.EntityFrameworkCore;

/// <content>Last-used tracking: <see cref="RecordUsageAsync"/>.</content>
public sealed partial class EntityFrameworkApiTokenStore<TContext>
{
    /// <inheritdoc />
    /// <remarks>
    /// One transaction for the batch (or the context's current one), with one conditional statement per token:
    /// <c>UPDATE api_tokens SET last_used_at = @t, last_used_ip = @ip WHERE id = @id AND account_id = @a AND (last_used_at IS NULL
    /// OR last_used_at &lt; @t)</c>. It never touches <c>concurrency_stamp</c> and matches no row for a deleted token, so it never
    /// makes an update fail and never brings a token back; two nodes writing at once leave the later time. Runs through the
    /// context's execution strategy, so a retrying strategy retries the whole batch.
    /// </remarks>
    public async Task RecordUsageAsync(IReadOnlyList<ApiTokenUsage> usages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(usages);
        if (usages.Count == 0)
        {
            return;
        }

        if (_context.Database.CurrentTransaction is not null)
        {
            await WriteUsageAsync(usages, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _context.Database.CreateExecutionStrategy().ExecuteAsync(
            (Store: this, Usages: usages),
            async (_, state, ct) =>
            {
                var transaction = await state.Store._context.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    await state.Store.WriteUsageAsync(state.Usages, ct).ConfigureAwait(false);
                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                }

                return true;
            },
            verifySucceeded: null,
            cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteUsageAsync(IReadOnlyList<ApiTokenUsage> usages, CancellationToken cancellationToken)
    {
        // In token-id order, so two nodes writing overlapping batches lock rows in the same order and never deadlock.
        foreach (var usage in usages.OrderBy(u => u.TokenId))
        {
            var (accountId, id, at, ip) = (usage.AccountId, usage.TokenId, usage.UsedAt.ToUnixTimeSeconds(), ApiTokenEntityMapper.LastUsedIp(usage.Address));
            await Tokens
                .Where(e => e.Id == id && e.AccountId == accountId && (e.LastUsedAt == null || e.LastUsedAt < at))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.LastUsedAt, at).SetProperty(e => e.LastUsedIp, ip), cancellationToken)
                .ConfigureAwait(false);
        }
    }
}
