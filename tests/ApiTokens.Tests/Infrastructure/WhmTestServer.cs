using System.Security.Claims;
using ApiTokens.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Tests.Infrastructure;

/// <summary>
/// The shared <see cref="ApiTokensTestHost"/> (Kestrel on loopback, whm scheme, in-memory store and accounts, fake time,
/// a counting light hasher, a captured log) with the store wrapped in a <see cref="CountingStore"/> and this project's
/// endpoints mapped.
/// </summary>
public sealed class WhmTestServer : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = ApiTokensTestHostBuilder.DefaultStart;

    private WhmTestServer(ApiTokensTestHost host) => Host = host;

    public ApiTokensTestHost Host { get; }

    public FakeTimeProvider Time => Host.Time;

    public CountingHasher Hasher => Host.Hasher;

    public CapturingLoggerProvider Log => Host.Log;

    public HttpClient Client => Host.Client;

    public Uri BaseAddress => Host.BaseAddress;

    public IServiceProvider Services => Host.Services;

    public InMemoryAccountProvider Accounts => Host.Accounts;

    public CountingStore Store => Host.Services.GetRequiredService<CountingStore>();

    public ApiTokenManager Manager => Host.Manager;

    public static async Task<WhmTestServer> StartAsync(
        Action<ApiTokenOptions>? configure = null,
        Action<WhmTokenOptions>? configureScheme = null,
        Action<WebApplication>? map = null,
        string listenAddress = "127.0.0.1",
        Action<IServiceCollection>? services = null)
    {
        var builder = new ApiTokensTestHostBuilder()
            .ListenOn(listenAddress)
            .WrapStore((_, inner) => new CountingStore(inner))
            .ConfigureServices(s => s.AddSingleton(sp => (CountingStore)sp.GetRequiredService<IApiTokenStore>()))
            .ConfigureApp(MapEndpoints);
        if (configure is not null)
        {
            builder.ConfigureOptions(configure);
        }

        if (configureScheme is not null)
        {
            builder.ConfigureScheme(configureScheme);
        }

        if (services is not null)
        {
            builder.ConfigureServices(services);
        }

        if (map is not null)
        {
            builder.ConfigureApp(map);
        }

        return new WhmTestServer(await builder.StartAsync());
    }

    public Task<CreatedApiToken> CreateTokenAsync(ApiTokenAccount owner, string name, string[]? acls = null, DateTimeOffset? expiresAt = null, string[]? whitelist = null) =>
        Host.CreateTokenAsync(owner, name, acls, expiresAt, whitelist);

    public Task<HttpResponseMessage> GetAsync(string path, string? authorization) => Host.GetAsync(path, authorization);

    public Task<HttpResponseMessage> GetAsync(string path, string user, string token) => Host.GetAsync(path, user, token);

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private static void MapEndpoints(WebApplication app)
    {
        app.MapGet("/anonymous", () => "hello");
        app.MapGet("/whoami", (ClaimsPrincipal user) => Results.Json(new
        {
            name = user.Identity!.Name,
            authenticationType = user.Identity.AuthenticationType,
            claims = user.Claims.Select(c => new[] { c.Type, c.Value }).ToArray(),
        })).RequireAuthorization();
        app.MapGet("/json-api/listaccts", () => "accounts").RequirePrivilege("list-accts");
        app.MapGet("/json-api/killacct", () => "killed").RequirePrivilege("kill-acct");
        app.MapGet("/json-api/two", () => "two").RequirePrivilege("list-accts", "create-acct");
        app.MapGet("/policy", () => "policy").RequireAuthorization("whm:create-acct");
    }
}
