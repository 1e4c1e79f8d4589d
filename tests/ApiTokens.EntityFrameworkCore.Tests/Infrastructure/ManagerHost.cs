using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>
/// A service provider with the token manager over a given store, light Argon2id parameters (never the
/// production defaults in tests), fake time and in-memory accounts. Dispose it and build another over
/// the same database to "restart" the app.
/// </summary>
public sealed class ManagerHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;
    private readonly AsyncServiceScope _scope;

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

    public FakeTimeProvider Time { get; } = new(Start);

    public ApiTokenManager Manager => _scope.ServiceProvider.GetRequiredService<ApiTokenManager>();

    public static ApiTokenAccount NewRoot() => new(Guid.NewGuid().ToString("N"), "root" + Guid.NewGuid().ToString("N")[..8], false, ["all"]);

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
