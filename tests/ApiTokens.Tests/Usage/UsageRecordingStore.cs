namespace ApiTokens.Tests.Usage;

/// <summary>Wraps a store, forwards everything (usage too), counts usage writes and can make them fail as an unreachable database would.</summary>
public sealed class UsageRecordingStore(IApiTokenStore inner) : IApiTokenStore
{
    private readonly SemaphoreSlim _written = new(0);
    private int _calls;
    private int _entries;

    /// <summary>How many times <see cref="RecordUsageAsync"/> was called.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>How many entries all calls carried.</summary>
    public int Entries => Volatile.Read(ref _entries);

    /// <summary>Whether usage writes throw as a database outage would.</summary>
    public bool Down { get; set; }

    /// <summary>Waits until one more usage write has finished (succeeded or failed).</summary>
    public Task WaitForWriteAsync() => _written.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(
        t => Assert.True(t.Result, "no usage write within 30 s"), TaskScheduler.Default);

    public async Task RecordUsageAsync(IReadOnlyList<ApiTokenUsage> usages, CancellationToken cancellationToken)
    {
        try
        {
            Interlocked.Increment(ref _calls);
            Interlocked.Add(ref _entries, usages.Count);
            if (Down)
            {
                throw new ApiTokenStoreUnavailableException("usage", new TimeoutException("database down"));
            }

            await inner.RecordUsageAsync(usages, cancellationToken);
        }
        finally
        {
            _written.Release();
        }
    }

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
