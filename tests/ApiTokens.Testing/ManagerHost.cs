using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Testing;

/// <summary>
/// A service provider with the token manager over a given store, light Argon2id parameters (never the
/// production defaults in tests), fake time and in-memory accounts. Dispose it and build another over
/// the same database to "restart" the app.
/// </summary>
public sealed class ManagerHost : IAsyncDisposable
{
    /// <summary>Where <see cref="Time"/> starts.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;
    private readonly AsyncServiceScope _scope;

    /// <summary>Builds the provider: <paramref name="addStore"/> registers the store, <paramref name="accounts"/> are the known accounts.</summary>
    public ManagerHost(Action<ApiTokensBuilder> addStore, params ApiTokenAccount[] accounts)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        var builder = services.AddApiTokens(o =>
        {
            o.Hashing.MemoryCost = 64;
            o.Hashing.TimeCost = 1;
            o.Hashing.Parallelism = 1;
        });
        addStore(builder);
        builder.AddInMemoryAccounts(p =>
        {
            foreach (var account in accounts)
            {
                p.Set(account);
            }
        });
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        _scope = _provider.CreateAsyncScope();
    }

    /// <summary>The clock the manager reads.</summary>
    public FakeTimeProvider Time { get; } = new(Start);

    /// <summary>The manager, resolved from the host's one scope.</summary>
    public ApiTokenManager Manager => _scope.ServiceProvider.GetRequiredService<ApiTokenManager>();

    /// <summary>A fresh root account (all privileges) with random id and name.</summary>
    public static ApiTokenAccount NewRoot() => new(Guid.NewGuid().ToString("N"), "root" + Guid.NewGuid().ToString("N")[..8], false, ["all"]);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
