using System.Net.Http.Headers;
using System.Security.Claims;
using ApiTokens.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on loopback with the whm scheme, the in-memory store and accounts,
/// fake time, a counting light hasher and a captured log.
/// </summary>
public sealed class WhmTestServer : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);

    private readonly WebApplication _app;
    private IServiceScope? _scope;

    private WhmTestServer(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public FakeTimeProvider Time { get; private set; } = null!;

    public CountingHasher Hasher { get; private set; } = null!;

    public CapturingLoggerProvider Log { get; private set; } = null!;

    public HttpClient Client { get; }

    public Uri BaseAddress => Client.BaseAddress!;

    public IServiceProvider Services => _app.Services;

    public InMemoryAccountProvider Accounts => _app.Services.GetRequiredService<InMemoryAccountProvider>();

    public CountingStore Store => _app.Services.GetRequiredService<CountingStore>();

    public ApiTokenManager Manager => (_scope ??= _app.Services.CreateScope()).ServiceProvider.GetRequiredService<ApiTokenManager>();

    public static async Task<WhmTestServer> StartAsync(
        Action<ApiTokenOptions>? configure = null,
        Action<WhmTokenOptions>? configureScheme = null,
        Action<WebApplication>? map = null,
        string listenAddress = "127.0.0.1",
        Action<IServiceCollection>? services = null)
    {
        var time = new FakeTimeProvider(Start);
        var hasher = new CountingHasher();
        var log = new CapturingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls($"http://{(listenAddress.Contains(':', StringComparison.Ordinal) ? $"[{listenAddress}]" : listenAddress)}:0");
        builder.Logging.ClearProviders().AddProvider(log).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IApiTokenHasher>(hasher);
        var store = new CountingStore(new InMemoryApiTokenStore());
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton<IApiTokenStore>(store);
        builder.Services.AddApiTokens(o => configure?.Invoke(o)).AddInMemoryAccounts();
        builder.Services.AddAuthentication(WhmTokenDefaults.AuthenticationScheme).AddWhmTokens(o => configureScheme?.Invoke(o));
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
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
        map?.Invoke(app);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address) };
        return new WhmTestServer(app, client) { Time = time, Hasher = hasher, Log = log };
    }

    public async Task<CreatedApiToken> CreateTokenAsync(ApiTokenAccount owner, string name, string[]? acls = null, DateTimeOffset? expiresAt = null, string[]? whitelist = null)
    {
        var result = await Manager.CreateAsync(owner.Id, new ApiTokenCreateRequest { Name = name, Acls = acls, ExpiresAt = expiresAt, WhitelistIps = whitelist });
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string user, string token) => GetAsync(path, $"whm {user}:{token}");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _scope?.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
