using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Testing;

/// <summary>
/// A started app on Kestrel (loopback, a free port) with an <see cref="HttpClient"/> to it, built by
/// <see cref="ApiTokensTestHostBuilder"/>. Disposing it stops the app.
/// </summary>
public sealed class ApiTokensTestHost : IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;

    internal ApiTokensTestHost(WebApplication app, HttpClient client, FakeTimeProvider time, CountingHasher hasher, CapturingLoggerProvider log)
    {
        App = app;
        Client = client;
        Time = time;
        Hasher = hasher;
        Log = log;
        _scope = app.Services.CreateAsyncScope();
    }

    /// <summary>The running app.</summary>
    public WebApplication App { get; }

    /// <summary>A client whose base address is the app.</summary>
    public HttpClient Client { get; }

    /// <summary>The address the app listens on.</summary>
    public Uri BaseAddress => Client.BaseAddress!;

    /// <summary>The app's root service provider.</summary>
    public IServiceProvider Services => App.Services;

    /// <summary>A service provider from one scope the host owns (scoped services such as the manager or an EF store).</summary>
    public IServiceProvider ScopedServices => _scope.ServiceProvider;

    /// <summary>The app's clock.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The app's hasher, with call counters.</summary>
    public CountingHasher Hasher { get; }

    /// <summary>The app's captured log.</summary>
    public CapturingLoggerProvider Log { get; }

    /// <summary>The in-memory accounts (throws if another account provider was chosen).</summary>
    public InMemoryAccountProvider Accounts => Services.GetRequiredService<InMemoryAccountProvider>();

    /// <summary>The token manager, resolved from the host's scope.</summary>
    public ApiTokenManager Manager => ScopedServices.GetRequiredService<ApiTokenManager>();

    /// <summary>The registered store (after any wrappers), resolved from the host's scope.</summary>
    public IApiTokenStore Store => ScopedServices.GetRequiredService<IApiTokenStore>();

    /// <summary>Creates a token for <paramref name="owner"/> through the manager and asserts that it succeeded.</summary>
    public Task<CreatedApiToken> CreateTokenAsync(
        ApiTokenAccount owner, string name, string[]? acls = null, DateTimeOffset? expiresAt = null, string[]? whitelist = null) =>
        TestHostTokens.CreateAsync(Manager, owner, name, acls, expiresAt, whitelist);

    /// <summary>Sends a GET to <paramref name="path"/> with the raw <c>Authorization</c> header value, if any.</summary>
    public async Task<HttpResponseMessage> GetAsync(string path, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.RelativeOrAbsolute));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>Sends a GET to <paramref name="path"/> with <c>Authorization: whm user:token</c>.</summary>
    public Task<HttpResponseMessage> GetAsync(string path, string user, string token) => GetAsync(path, $"whm {user}:{token}");

    /// <summary>Stops and disposes the app, the host's scope and the client.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _scope.DisposeAsync();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
