using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Testing;

/// <summary>
/// The services <see cref="ApiTokensTestHostBuilder"/> registers, built without a web server
/// (<see cref="ApiTokensTestHostBuilder.BuildServices"/>). Dispose it and build another over the same database to
/// "restart" the app.
/// </summary>
public sealed class ApiTokensTestServices : IDisposable, IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly AsyncServiceScope _scope;

    internal ApiTokensTestServices(ServiceProvider provider, FakeTimeProvider time, CountingHasher hasher, CapturingLoggerProvider log)
    {
        _provider = provider;
        Time = time;
        Hasher = hasher;
        Log = log;
        _scope = provider.CreateAsyncScope();
    }

    /// <summary>The root service provider.</summary>
    public IServiceProvider Services => _provider;

    /// <summary>A service provider from one scope this object owns.</summary>
    public IServiceProvider ScopedServices => _scope.ServiceProvider;

    /// <summary>The clock.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The hasher, with call counters.</summary>
    public CountingHasher Hasher { get; }

    /// <summary>The captured log.</summary>
    public CapturingLoggerProvider Log { get; }

    /// <summary>The in-memory accounts (throws if another account provider was chosen).</summary>
    public InMemoryAccountProvider Accounts => Services.GetRequiredService<InMemoryAccountProvider>();

    /// <summary>The token manager, resolved from the owned scope.</summary>
    public ApiTokenManager Manager => ScopedServices.GetRequiredService<ApiTokenManager>();

    /// <summary>The registered store (after any wrappers), resolved from the owned scope.</summary>
    public IApiTokenStore Store => ScopedServices.GetRequiredService<IApiTokenStore>();

    /// <summary>Creates a token for <paramref name="owner"/> through the manager and asserts that it succeeded.</summary>
    public Task<CreatedApiToken> CreateTokenAsync(
        ApiTokenAccount owner, string name, string[]? acls = null, DateTimeOffset? expiresAt = null, string[]? whitelist = null) =>
        TestHostTokens.CreateAsync(Manager, owner, name, acls, expiresAt, whitelist);

    /// <summary>Disposes the scope and the provider.</summary>
    public void Dispose()
    {
        ((IDisposable)_scope).Dispose();
        _provider.Dispose();
    }

    /// <summary>Disposes the scope and the provider, asynchronously.</summary>
    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
