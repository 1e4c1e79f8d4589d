using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Testing;

/// <summary>
/// A started app on Kestrel (loopback, a free port) with an <see cref="HttpClient"/> to it, built by
/// <see cref="ApiTokensTestHostBuilder"/>. Disposing it stops the app.
/// </summary>
public sealed class ApiTokensTestHost : ApiTokensTestContext, IAsyncDisposable
{
    internal ApiTokensTestHost(WebApplication app, HttpClient client, FakeTimeProvider time, CountingHasher hasher, CapturingLoggerProvider log)
        : base(app.Services, time, hasher, log)
    {
        App = app;
        Client = client;
    }

    /// <summary>The running app.</summary>
    public WebApplication App { get; }

    /// <summary>A client whose base address is the app.</summary>
    public HttpClient Client { get; }

    /// <summary>The address the app listens on.</summary>
    public Uri BaseAddress => Client.BaseAddress!;

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
        await OwnedScope.DisposeAsync();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
