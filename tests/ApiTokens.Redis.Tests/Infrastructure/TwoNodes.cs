
namespace ApiTokens.Redis.Tests.Infrastructure;

/// <summary>Two nodes of one app on one shared database (store and accounts) and, optionally, one Redis channel.</summary>
public sealed class TwoNodes : IAsyncDisposable
{
    private TwoNodes(InMemoryApiTokenStore store, InMemoryAccountProvider accounts, WhmNode a, WhmNode b)
    {
        Store = store;
        Accounts = accounts;
        A = a;
        B = b;
    }

    public InMemoryApiTokenStore Store { get; }

    public InMemoryAccountProvider Accounts { get; }

    public WhmNode A { get; }

    public WhmNode B { get; }

    /// <summary>
    /// Starts two nodes; with <paramref name="redis"/> they share a fresh channel on it; with <paramref name="postgres"/>
    /// their tokens are in that PostgreSQL database (EF Core store) instead of one shared in-memory store.
    /// </summary>
    public static async Task<TwoNodes> StartAsync(
        string? redis, Action<RedisBackplaneOptions>? configureBackplane = null, string? postgres = null, Action<ApiTokenOptions>? configure = null)
    {
        var store = new InMemoryApiTokenStore();
        var accounts = new InMemoryAccountProvider();
        var channel = $"apitokens:test:{Guid.NewGuid():N}";
        void Configure(RedisBackplaneOptions o)
        {
            o.ChannelName = channel;
            configureBackplane?.Invoke(o);
        }

        var a = await WhmNode.StartAsync("A", store, accounts, redis, Configure, configure, postgres: postgres);
        var b = await WhmNode.StartAsync("B", store, accounts, redis, Configure, configure, postgres: postgres);
        return new TwoNodes(store, accounts, a, b);
    }

    public async Task WaitUntilConnectedAsync()
    {
        await A.WaitForDegradedAsync(false, TimeSpan.FromSeconds(15));
        await B.WaitForDegradedAsync(false, TimeSpan.FromSeconds(15));
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
