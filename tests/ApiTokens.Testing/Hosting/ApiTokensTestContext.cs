using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Testing;

/// <summary>
/// What <see cref="ApiTokensTestHost"/> (a running app) and <see cref="ApiTokensTestServices"/> (services only) share: the
/// builder's clock, hasher and log, one owned scope, and the manager, store and accounts resolved from it.
/// </summary>
public abstract class ApiTokensTestContext
{
    private protected ApiTokensTestContext(IServiceProvider services, FakeTimeProvider time, CountingHasher hasher, CapturingLoggerProvider log)
    {
        ArgumentNullException.ThrowIfNull(services);
        Services = services;
        Time = time;
        Hasher = hasher;
        Log = log;
        OwnedScope = services.CreateAsyncScope();
    }

    /// <summary>The root service provider.</summary>
    public IServiceProvider Services { get; }

    /// <summary>A service provider from one scope this object owns (scoped services such as the manager or an EF store).</summary>
    public IServiceProvider ScopedServices => OwnedScope.ServiceProvider;

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

    private protected AsyncServiceScope OwnedScope { get; }

    /// <summary>Creates a token for <paramref name="owner"/> through the manager and asserts that it succeeded.</summary>
    public async Task<CreatedApiToken> CreateTokenAsync(
        ApiTokenAccount owner, string name, string[]? acls = null, DateTimeOffset? expiresAt = null, string[]? whitelist = null)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var result = await Manager.CreateAsync(owner.Id, new ApiTokenCreateRequest { Name = name, Acls = acls, ExpiresAt = expiresAt, WhitelistIps = whitelist });
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }
}
