using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>
/// Expiry warnings over the EF Core store on a real SQLite file, in running apps (the hosted service's own timer on fake time):
/// two nodes on one database raise one warning per token, stored in <c>api_token_audit</c>; a moved expiry re-arms it; a token
/// outside the window waits for it; a handler that throws changes nothing.
/// </summary>
public sealed class ExpirySqliteTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = ApiTokensTestHostBuilder.DefaultStart;

    /// <summary>ExpiryWarningService.MaxScanInterval: the default window (7 days) scans every five minutes.</summary>
    private static readonly TimeSpan ScanInterval = TimeSpan.FromMinutes(5);

    private readonly SqliteHarness _sqlite = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly InMemoryAccountProvider _accounts = new();
    private readonly Told _told = new();
    private readonly List<ApiTokensTestHost> _hosts = [];

    public Task InitializeAsync() => _sqlite.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await _sqlite.DisposeAsync();
    }

    private async Task<ApiTokensTestHost> NodeAsync()
    {
        var host = await new ApiTokensTestHostBuilder()
            .UseClock(_time)
            .UseStore(_sqlite.AddStore)
            .UseAccounts(b => b.Services.AddSingleton(_accounts).AddSingleton<IApiTokenAccountProvider>(_accounts))
            .ConfigureOptions(o => o.Policy.MaxCreatesPerAccountPerMinute = 0)
            .ConfigureApiTokens(b => b
                .AddEntityFrameworkAuditStore<ApiTokensDbContext>()
                .AddExpiryWarningHandler<ThrowingHandler>()
                .AddExpiryWarningHandler<RecordingHandler>())
            .ConfigureServices(s => s.AddSingleton(_told).AddSingleton<ScanProbe>())
            .WrapStore((sp, inner) => new ProbedStore(inner, sp.GetRequiredService<ScanProbe>()))
            .StartAsync();
        _hosts.Add(host);
        return host;
    }

    /// <summary>Moves the shared clock one scan interval on and waits until every node has finished the round that started.</summary>
    private async Task RoundAsync()
    {
        var next = _hosts.Select(h => (Probe: h.Services.GetRequiredService<ScanProbe>(), Calls: h.Services.GetRequiredService<ScanProbe>().Calls + 1)).ToList();
        _time.Advance(ScanInterval); // the round
        foreach (var (probe, calls) in next)
        {
            await probe.WaitForCallsAsync(calls);
        }

        _time.Advance(ScanInterval); // the next round starts only when that one has finished
        foreach (var (probe, calls) in next)
        {
            await probe.WaitForCallsAsync(calls + 1);
        }
    }

    private static async Task<ApiTokenAuditEvent[]> WarningsInTheAuditTableAsync(ApiTokensTestHost host, ApiTokenAccount owner) =>
        [.. (await host.Manager.QueryAuditAsync(new ApiTokenAuditQuery { AccountId = owner.Id, Take = 500 })).Events.Where(e => e.Action == ApiTokenAuditAction.ExpiryWarning)];

    [Fact]
    public async Task TwoNodesOnOneSqliteFile_RaiseOneWarningPerToken_StoredOnceInTheAuditTable()
    {
        var bob = _accounts.Add("bob", "all");
        var a = await NodeAsync();
        var b = await NodeAsync();
        for (var i = 0; i < 30; i++)
        {
            await a.CreateTokenAsync(bob, "t" + i, expiresAt: Start.AddDays(1).AddMinutes(i));
        }

        await RoundAsync();

        Assert.Equal(30, _told.Tokens.Count);
        Assert.Equal(30, _told.Tokens.Select(t => t.Id).Distinct().Count());
        Assert.All(_told.Owners, o => Assert.Equal("bob", o?.UserName));
        var stored = await WarningsInTheAuditTableAsync(b, bob);
        Assert.Equal(30, stored.Length);
        Assert.Equal(
            Enumerable.Range(0, 30).Select(i => ("t" + i, (DateTimeOffset?)Start.AddDays(1).AddMinutes(i))).Order(),
            stored.Select(e => (e.TokenName!, e.ExpiresAt)).Order());
        Assert.All(stored, e => Assert.Null(e.Actor));
        Assert.Equal(30, a.Log.Count(1622) + b.Log.Count(1622)); // the throwing handler: logged, swallowed, the recording one still told
    }

    [Fact]
    public async Task AnUpdateThatMovesTheExpiry_ReArmsTheWarning_OnSqlite()
    {
        var bob = _accounts.Add("bob", "all");
        var node = await NodeAsync();
        await node.CreateTokenAsync(bob, "deploy", expiresAt: Start.AddDays(2));
        await RoundAsync();

        var moved = await node.Manager.UpdateAsync(bob.Id, "deploy", new ApiTokenUpdateRequest { ExpiresAt = Start.AddDays(5) });
        Assert.True(moved.Succeeded, moved.Error?.Message);
        await RoundAsync();
        await RoundAsync();

        Assert.Equal([Start.AddDays(2), Start.AddDays(5)], _told.Tokens.Select(t => t.ExpiresAt!.Value));
        Assert.Equal([Start.AddDays(5), Start.AddDays(2)], (await WarningsInTheAuditTableAsync(node, bob)).Select(e => e.ExpiresAt!.Value));
    }

    [Fact]
    public async Task ATokenOutsideTheWindow_IsWarnedOnlyOnceItEntersIt_OnSqlite()
    {
        var bob = _accounts.Add("bob", "all");
        var node = await NodeAsync();
        await node.CreateTokenAsync(bob, "soon", expiresAt: Start.AddDays(1));
        await node.CreateTokenAsync(bob, "later", expiresAt: Start.AddDays(8));
        await node.CreateTokenAsync(bob, "never");

        await RoundAsync();
        Assert.Equal(["soon"], _told.Tokens.Select(t => t.Name));

        _time.Advance(TimeSpan.FromDays(1));
        await RoundAsync();
        Assert.Equal(["soon", "later"], _told.Tokens.Select(t => t.Name));
    }

    /// <summary>What the recording handlers of every node were told.</summary>
    private sealed class Told
    {
        private readonly List<(ApiToken Token, ApiTokenAccount? Owner)> _told = [];

        public IReadOnlyList<ApiToken> Tokens
        {
            get
            {
                lock (_told)
                {
                    return [.. _told.Select(t => t.Token)];
                }
            }
        }

        public IReadOnlyList<ApiTokenAccount?> Owners
        {
            get
            {
                lock (_told)
                {
                    return [.. _told.Select(t => t.Owner)];
                }
            }
        }

        public void Add(ApiToken token, ApiTokenAccount? owner)
        {
            lock (_told)
            {
                _told.Add((token, owner));
            }
        }
    }

    private sealed class RecordingHandler(Told told) : IApiTokenExpiryWarningHandler
    {
        public ValueTask OnExpiryWarningAsync(ApiToken token, ApiTokenAccount? owner, CancellationToken cancellationToken)
        {
            told.Add(token, owner);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ThrowingHandler : IApiTokenExpiryWarningHandler
    {
        public ValueTask OnExpiryWarningAsync(ApiToken token, ApiTokenAccount? owner, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("mail server down");
    }

    /// <summary>Counts a node's expiry scans (each round asks the store once for fewer than a batch of tokens).</summary>
    private sealed class ScanProbe
    {
        private readonly SemaphoreSlim _called = new(0);
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public void Called()
        {
            Interlocked.Increment(ref _calls);
            _called.Release();
        }

        public async Task WaitForCallsAsync(int calls)
        {
            while (Calls < calls)
            {
                Assert.True(await _called.WaitAsync(TimeSpan.FromSeconds(30)), "no expiry scan within 30 s");
            }
        }
    }

    /// <summary>The node's EF store, with each expiry scan reported to the probe.</summary>
    private sealed class ProbedStore(IApiTokenStore inner, ScanProbe probe) : IApiTokenStore
    {
        public Task<IReadOnlyList<ApiToken>> ListExpiringAsync(DateTimeOffset after, DateTimeOffset until, int limit, CancellationToken cancellationToken)
        {
            probe.Called();
            return inner.ListExpiringAsync(after, until, limit, cancellationToken);
        }

        public Task<bool> TryMarkExpiryWarnedAsync(string accountId, Guid tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
            inner.TryMarkExpiryWarnedAsync(accountId, tokenId, expiresAt, cancellationToken);

        public Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken) => inner.CreateAsync(token, cancellationToken);

        public Task<ApiTokenStoreResult> CreateManyAsync(IReadOnlyList<ApiToken> tokens, CancellationToken cancellationToken) => inner.CreateManyAsync(tokens, cancellationToken);

        public Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken) =>
            inner.FindBySelectorAsync(accountId, selector, cancellationToken);

        public Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken) => inner.FindByNameAsync(accountId, name, cancellationToken);

        public Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken) => inner.ListAsync(accountId, query, cancellationToken);

        public Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken) =>
            inner.UpdateAsync(token, expectedConcurrencyStamp, cancellationToken);

        public Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken) => inner.DeleteAsync(accountId, tokenId, cancellationToken);

        public Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken) => inner.DeleteAllAsync(accountId, cancellationToken);

        public Task<bool> AnySelectorStartsWithAsync(string prefix, CancellationToken cancellationToken) => inner.AnySelectorStartsWithAsync(prefix, cancellationToken);

        public Task RecordUsageAsync(IReadOnlyList<ApiTokenUsage> usages, CancellationToken cancellationToken) => inner.RecordUsageAsync(usages, cancellationToken);

        public Task<IReadOnlyList<ApiToken>> FindAllBySelectorAsync(string selector, CancellationToken cancellationToken) =>
            inner.FindAllBySelectorAsync(selector, cancellationToken);
    }
}
