
namespace ApiTokens.Tests.Infrastructure;

/// <summary>Wraps a store, counts reads and can simulate an unreachable database.</summary>
public sealed class CountingStore(IApiTokenStore inner) : IApiTokenStore
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public bool Down { get; set; }

    public Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken) => Guard() ?? inner.CreateAsync(token, cancellationToken);

    public Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        ThrowIfDown();
        return inner.FindBySelectorAsync(accountId, selector, cancellationToken);
    }

    public Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        ThrowIfDown();
        return inner.FindByNameAsync(accountId, name, cancellationToken);
    }

    public Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return inner.ListAsync(accountId, query, cancellationToken);
    }

    public Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken) =>
        Guard() ?? inner.UpdateAsync(token, expectedConcurrencyStamp, cancellationToken);

    public Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return inner.DeleteAsync(accountId, tokenId, cancellationToken);
    }

    public Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return inner.DeleteAllAsync(accountId, cancellationToken);
    }

    public void ResetCounts() => Interlocked.Exchange(ref _reads, 0);

    private Task<ApiTokenStoreResult>? Guard()
    {
        ThrowIfDown();
        return null;
    }

    private void ThrowIfDown()
    {
        if (Down)
        {
            throw new TimeoutException("Simulated: the token database is unreachable.");
        }
    }
}
