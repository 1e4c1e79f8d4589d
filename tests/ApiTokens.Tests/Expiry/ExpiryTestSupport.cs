using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Tests.Expiry;

/// <summary>What the expiry-warning handlers of one test were told (shared by every node and scope of the test).</summary>
public sealed class ExpiryWarnings
{
    private readonly List<(ApiToken Token, ApiTokenAccount? Owner)> _told = [];
    private readonly SemaphoreSlim _signal = new(0);

    public IReadOnlyList<(ApiToken Token, ApiTokenAccount? Owner)> Told
    {
        get
        {
            lock (_told)
            {
                return [.. _told];
            }
        }
    }

    public void Add(ApiToken token, ApiTokenAccount? owner)
    {
        lock (_told)
        {
            _told.Add((token, owner));
        }

        _signal.Release();
    }

    public async Task WaitAsync() => Assert.True(await _signal.WaitAsync(TimeSpan.FromSeconds(30)), "no expiry warning within 30 s");
}

/// <summary>Records every warning it is told about.</summary>
public sealed class RecordingHandler(ExpiryWarnings warnings) : IApiTokenExpiryWarningHandler
{
    public ValueTask OnExpiryWarningAsync(ApiToken token, ApiTokenAccount? owner, CancellationToken cancellationToken)
    {
        warnings.Add(token, owner);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Throws, as a host's mailer whose server is down would.</summary>
public sealed class ThrowingHandler : IApiTokenExpiryWarningHandler
{
    public ValueTask OnExpiryWarningAsync(ApiToken token, ApiTokenAccount? owner, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("mail server down");
}

/// <summary>A store decorator that fails the expiry-warning calls while <see cref="Down"/>, as an unreachable database would.</summary>
public sealed class ExpiryFaultStore(IApiTokenStore inner) : IApiTokenStore
{
    public bool Down { get; set; }

    public Task<IReadOnlyList<ApiToken>> ListExpiringAsync(DateTimeOffset after, DateTimeOffset until, int limit, CancellationToken cancellationToken) =>
        Down ? throw new ApiTokenStoreUnavailableException("list-expiring", new TimeoutException("database down")) : inner.ListExpiringAsync(after, until, limit, cancellationToken);

    public Task<bool> TryMarkExpiryWarnedAsync(string accountId, Guid tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        inner.TryMarkExpiryWarnedAsync(accountId, tokenId, expiresAt, cancellationToken);

    public Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken) => inner.CreateAsync(token, cancellationToken);

    public Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken) =>
        inner.FindBySelectorAsync(accountId, selector, cancellationToken);

    public Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken) => inner.FindByNameAsync(accountId, name, cancellationToken);

    public Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken) => inner.ListAsync(accountId, query, cancellationToken);

    public Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken) =>
        inner.UpdateAsync(token, expectedConcurrencyStamp, cancellationToken);

    public Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken) => inner.DeleteAsync(accountId, tokenId, cancellationToken);

    public Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken) => inner.DeleteAllAsync(accountId, cancellationToken);
}

/// <summary>Helpers shared by the expiry-warning tests (in-memory here, SQLite in the EF Core tests).</summary>
internal static class ExpiryTestSupport
{
    /// <summary>
    /// One "node": the shared test services over <paramref name="addStore"/>, on <paramref name="time"/>, with the owner
    /// <paramref name="owner"/>, the recording handler (and <paramref name="configure"/>), the audit events in <paramref name="audit"/>.
    /// </summary>
    public static ApiTokensTestServices Node(
        Action<ApiTokensBuilder> addStore, FakeTimeProvider time, ApiTokenAccount owner, ExpiryWarnings warnings, InMemoryApiTokenAuditStore audit,
        Action<ApiTokensTestHostBuilder>? configure = null)
    {
        var builder = new ApiTokensTestHostBuilder();
        configure?.Invoke(builder); // first, so a handler it adds is told before the recording one
        builder
            .UseClock(time)
            .UseStore(addStore)
            .SeedAccounts(a => a.Set(owner))
            .ConfigureOptions(o => o.Policy.MaxCreatesPerAccountPerMinute = 0)
            .ConfigureApiTokens(b => b.AddExpiryWarningHandler<RecordingHandler>())
            .ConfigureServices(s =>
            {
                s.AddSingleton(warnings);
                s.AddSingleton<IApiTokenAuditStore>(audit);
            });
        return builder.BuildServices();
    }

    /// <summary>The node's expiry-warning service (not started: the test runs its rounds).</summary>
    public static ExpiryWarningService ExpiryService(this ApiTokensTestContext node) =>
        node.Services.GetServices<IHostedService>().OfType<ExpiryWarningService>().Single();

    /// <summary>A token row as a store holds it, expiring at <paramref name="expiresAt"/>, written straight to <paramref name="store"/> (no hashing).</summary>
    public static async Task<ApiToken> PutAsync(IApiTokenStore store, ApiTokenAccount owner, string name, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        var token = TestTokens.New(owner.Id, name) with { Id = Guid.CreateVersion7(now), CreatedAt = now, ExpiresAt = expiresAt };
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(token, CancellationToken.None));
        return token;
    }
}
