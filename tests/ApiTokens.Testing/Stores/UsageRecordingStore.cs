namespace ApiTokens.Testing;

/// <summary>Wraps a store, forwards everything (usage too) and reports usage writes to a <see cref="UsageWriteProbe"/>.</summary>
public sealed class UsageRecordingStore(IApiTokenStore inner, UsageWriteProbe probe) : IApiTokenStore
{
    /// <inheritdoc />
    public Task RecordUsageAsync(IReadOnlyList<ApiTokenUsage> usages, CancellationToken cancellationToken) =>
        probe.RecordAsync(usages, () => inner.RecordUsageAsync(usages, cancellationToken));

    public Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken) => inner.CreateAsync(token, cancellationToken);

    public Task<ApiTokenStoreResult> CreateManyAsync(IReadOnlyList<ApiToken> tokens, CancellationToken cancellationToken) =>
        inner.CreateManyAsync(tokens, cancellationToken);

    public Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken) =>
        inner.FindBySelectorAsync(accountId, selector, cancellationToken);

    public Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken) =>
        inner.FindByNameAsync(accountId, name, cancellationToken);

    public Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken) =>
        inner.ListAsync(accountId, query, cancellationToken);

    public Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken) =>
        inner.UpdateAsync(token, expectedConcurrencyStamp, cancellationToken);

    public Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken) => inner.DeleteAsync(accountId, tokenId, cancellationToken);

    public Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken) => inner.DeleteAllAsync(accountId, cancellationToken);

    public Task<bool> AnySelectorStartsWithAsync(string prefix, CancellationToken cancellationToken) =>
        inner.AnySelectorStartsWithAsync(prefix, cancellationToken);
}
