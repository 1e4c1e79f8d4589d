namespace ApiTokens.Tests.Leaks;

/// <summary>
/// Wraps the in-memory store, forwarding every call (the default ones too), counting leak lookups, and able to fail like an
/// unreachable database.
/// </summary>
internal sealed class LeakCountingStore(IApiTokenStore inner) : IApiTokenStore
{
    private int _leakLookups;

    public int LeakLookups => Volatile.Read(ref _leakLookups);

    public bool Down { get; set; }

    public void Reset() => Interlocked.Exchange(ref _leakLookups, 0);

    public Task<IReadOnlyList<ApiToken>> FindAllBySelectorAsync(string selector, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _leakLookups);
        ThrowIfDown();
        return inner.FindAllBySelectorAsync(selector, cancellationToken);
    }

    public Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken) =>
        Checked(() => inner.CreateAsync(token, cancellationToken));

    public Task<ApiTokenStoreResult> CreateManyAsync(IReadOnlyList<ApiToken> tokens, CancellationToken cancellationToken) =>
        Checked(() => inner.CreateManyAsync(tokens, cancellationToken));

    public Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken) =>
        Checked(() => inner.FindBySelectorAsync(accountId, selector, cancellationToken));

    public Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken) =>
        Checked(() => inner.FindByNameAsync(accountId, name, cancellationToken));

    public Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken) =>
        Checked(() => inner.ListAsync(accountId, query, cancellationToken));

    public Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken) =>
        Checked(() => inner.UpdateAsync(token, expectedConcurrencyStamp, cancellationToken));

    public Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken) =>
        Checked(() => inner.DeleteAsync(accountId, tokenId, cancellationToken));

    public Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken) =>
        Checked(() => inner.DeleteAllAsync(accountId, cancellationToken));

    public Task<bool> AnySelectorStartsWithAsync(string prefix, CancellationToken cancellationToken) =>
        Checked(() => inner.AnySelectorStartsWithAsync(prefix, cancellationToken));

    public Task RecordUsageAsync(IReadOnlyList<ApiTokenUsage> usages, CancellationToken cancellationToken) =>
        Checked(async () =>
        {
            await inner.RecordUsageAsync(usages, cancellationToken);
            return true;
        });

    public Task<IReadOnlyList<ApiToken>> ListExpiringAsync(DateTimeOffset after, DateTimeOffset until, int limit, CancellationToken cancellationToken) =>
        Checked(() => inner.ListExpiringAsync(after, until, limit, cancellationToken));

    public Task<bool> TryMarkExpiryWarnedAsync(string accountId, Guid tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        Checked(() => inner.TryMarkExpiryWarnedAsync(accountId, tokenId, expiresAt, cancellationToken));

    private Task<T> Checked<T>(Func<Task<T>> call)
    {
        ThrowIfDown();
        return call();
    }

    private void ThrowIfDown()
    {
        if (Down)
        {
            throw new TimeoutException("Simulated: the token database is unreachable.");
        }
    }
}
