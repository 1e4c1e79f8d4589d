
namespace ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>One store backend for the store specification: a class fixture shared by one test class.</summary>
public abstract class StoreHarness : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    /// <summary>Skips (developer machine) or fails (CI) when the backend is not there.</summary>
    public virtual void EnsureAvailable()
    {
    }

    /// <summary>A new store on its own context and connection, as another request or node would have.</summary>
    public IApiTokenStore CreateStore()
    {
        EnsureAvailable();
        var (store, owner) = NewStore();
        if (owner is not null)
        {
            lock (_owned)
            {
                _owned.Add(owner);
            }
        }

        return store;
    }

    /// <summary>A new audit store on its own context and connection, as another request or node would have.</summary>
    public IApiTokenAuditStore CreateAuditStore()
    {
        EnsureAvailable();
        var (store, owner) = NewAuditStore();
        if (owner is not null)
        {
            lock (_owned)
            {
                _owned.Add(owner);
            }
        }

        return store;
    }

    /// <summary>Registers the store with a service collection (for tests through the manager).</summary>
    public abstract void AddStore(ApiTokensBuilder builder);

    /// <summary>Every column of every stored row of an account, as text.</summary>
    public abstract Task<IReadOnlyList<string>> ReadRawRowsAsync(string accountId);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }

    protected abstract (IApiTokenStore Store, IAsyncDisposable? Owner) NewStore();

    protected abstract (IApiTokenAuditStore Store, IAsyncDisposable? Owner) NewAuditStore();
}
