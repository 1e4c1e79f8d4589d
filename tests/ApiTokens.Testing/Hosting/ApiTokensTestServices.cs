using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Testing;

/// <summary>
/// The services <see cref="ApiTokensTestHostBuilder"/> registers, built without a web server
/// (<see cref="ApiTokensTestHostBuilder.BuildServices"/>). Dispose it and build another over the same database to
/// "restart" the app.
/// </summary>
public sealed class ApiTokensTestServices : ApiTokensTestContext, IDisposable, IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    internal ApiTokensTestServices(ServiceProvider provider, FakeTimeProvider time, CountingHasher hasher, CapturingLoggerProvider log)
        : base(provider, time, hasher, log)
    {
        _provider = provider;
    }

    /// <summary>Disposes the scope and the provider.</summary>
    public void Dispose()
    {
        ((IDisposable)OwnedScope).Dispose();
        _provider.Dispose();
    }

    /// <summary>Disposes the scope and the provider, asynchronously.</summary>
    public async ValueTask DisposeAsync()
    {
        await OwnedScope.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
