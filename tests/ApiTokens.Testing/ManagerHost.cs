using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Testing;

/// <summary>
/// The shared test services (<see cref="ApiTokensTestHostBuilder.BuildServices"/>) with the token manager over a given
/// store: the light <see cref="CountingHasher"/> (never the production Argon2id parameters in tests), fake time and
/// in-memory accounts. Dispose it and build another over the same database to "restart" the app.
/// </summary>
public sealed class ManagerHost : IAsyncDisposable
{
    /// <summary>Where <see cref="Time"/> starts.</summary>
    public static readonly DateTimeOffset Start = ApiTokensTestHostBuilder.DefaultStart;

    private readonly ApiTokensTestServices _services;

    /// <summary>Builds the services: <paramref name="addStore"/> registers the store, <paramref name="accounts"/> are the known accounts.</summary>
    public ManagerHost(Action<ApiTokensBuilder> addStore, params ApiTokenAccount[] accounts)
    {
        ArgumentNullException.ThrowIfNull(addStore);
        ArgumentNullException.ThrowIfNull(accounts);
        _services = new ApiTokensTestHostBuilder()
            .StartingAt(Start)
            .UseStore(addStore)
            .SeedAccounts(p =>
            {
                foreach (var account in accounts)
                {
                    p.Set(account);
                }
            })
            .BuildServices();
    }

    /// <summary>The clock the manager reads.</summary>
    public FakeTimeProvider Time => _services.Time;

    /// <summary>The manager, resolved from the host's one scope.</summary>
    public ApiTokenManager Manager => _services.Manager;

    /// <summary>A fresh root account (all privileges) with random id and name.</summary>
    public static ApiTokenAccount NewRoot() => new(Guid.NewGuid().ToString("N"), "root" + Guid.NewGuid().ToString("N")[..8], false, ["all"]);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
