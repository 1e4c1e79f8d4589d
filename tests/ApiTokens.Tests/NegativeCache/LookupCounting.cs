namespace ApiTokens.Tests.NegativeCache;

/// <summary>Wraps a store and counts the verifier's lookups by kind; forwards every member (the optional ones too).</summary>
internal sealed class LookupCountingStore(IApiTokenStore inner) : IApiTokenStore
{
    private int _bySelector;
    private int _lists;

    public int FindBySelectorCalls => Volatile.Read(ref _bySelector);

    public int ListCalls => Volatile.Read(ref _lists);

    /// <summary>Every token lookup a request can cost: by selector, or the listing of an account's selectors.</summary>
    public int Lookups => FindBySelectorCalls + ListCalls;

    public bool Down { get; set; }

    public void Reset()
    {
        Interlocked.Exchange(ref _bySelector, 0);
        Interlocked.Exchange(ref _lists, 0);
    }

    public Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken) => inner.CreateAsync(token, cancellationToken);

    public Task<ApiTokenStoreResult> CreateManyAsync(IReadOnlyList<ApiToken> tokens, CancellationToken cancellationToken) =>
        inner.CreateManyAsync(tokens, cancellationToken);

    public Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _bySelector);
        return Down ? throw new ApiTokenStoreUnavailableException("find", new TimeoutException("database down")) : inner.FindBySelectorAsync(accountId, selector, cancellationToken);
    }

    public Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken) => inner.FindByNameAsync(accountId, name, cancellationToken);

    public Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lists);
        return inner.ListAsync(accountId, query, cancellationToken);
    }

    public Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken) =>
        inner.UpdateAsync(token, expectedConcurrencyStamp, cancellationToken);

    public Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken) => inner.DeleteAsync(accountId, tokenId, cancellationToken);

    public Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken) => inner.DeleteAllAsync(accountId, cancellationToken);

    public Task<bool> AnySelectorStartsWithAsync(string prefix, CancellationToken cancellationToken) => inner.AnySelectorStartsWithAsync(prefix, cancellationToken);

    public Task RecordUsageAsync(IReadOnlyList<ApiTokenUsage> usages, CancellationToken cancellationToken) => inner.RecordUsageAsync(usages, cancellationToken);

    public Task<IReadOnlyList<ApiToken>> FindAllBySelectorAsync(string selector, CancellationToken cancellationToken) =>
        inner.FindAllBySelectorAsync(selector, cancellationToken);

    public Task<IReadOnlyList<ApiToken>> ListExpiringAsync(DateTimeOffset after, DateTimeOffset until, int limit, CancellationToken cancellationToken) =>
        inner.ListExpiringAsync(after, until, limit, cancellationToken);

    public Task<bool> TryMarkExpiryWarnedAsync(string accountId, Guid tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        inner.TryMarkExpiryWarnedAsync(accountId, tokenId, expiresAt, cancellationToken);
}

/// <summary>The in-memory accounts behind a counter of the verifier's account reads.</summary>
internal sealed class LookupCountingAccounts(InMemoryAccountProvider inner) : IApiTokenAccountProvider
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public void Reset() => Interlocked.Exchange(ref _reads, 0);

    public ValueTask<ApiTokenAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return inner.FindByUserNameAsync(userName, cancellationToken);
    }

    public ValueTask<ApiTokenAccount?> FindByIdAsync(string accountId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return inner.FindByIdAsync(accountId, cancellationToken);
    }
}
