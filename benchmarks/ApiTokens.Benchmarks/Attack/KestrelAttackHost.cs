using System.Diagnostics.Metrics;
using System.Net;
using ApiTokens.Benchmarks.Infrastructure;
using ApiTokens.EntityFrameworkCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiTokens.Benchmarks.Attack;

/// <summary>
/// A real Kestrel app on 127.0.0.1 with the EF Core store over a SQLite file, in-memory accounts (root with every privilege),
/// the whm scheme, the WHM token API under <c>/json-api</c> and <c>GET /ping</c> (200 for an authenticated caller). Argon2 at
/// the library's default parameters, counted. Store calls are counted from the library's own <c>apitokens.store.duration</c>.
/// </summary>
/// <remarks>
/// Benchmark only: a middleware takes the client address from the <c>X-Bench-Client</c> header, so one process can stand for
/// many addresses. Nothing like it belongs in a real app (any client could pick its address).
/// </remarks>
internal sealed class KestrelAttackHost : IAsyncDisposable
{
    public const string ClientHeader = "X-Bench-Client";

    private readonly WebApplication _app;
    private readonly MeterListener _listener = new();
    private readonly string _path;
    private long _storeCalls;

    private KestrelAttackHost(WebApplication app, CountingHasher hasher, string path)
    {
        _app = app;
        _path = path;
        Hasher = hasher;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ApiTokensDiagnostics.Name && instrument.Name == "apitokens.store.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _storeCalls));
        _listener.Start();
    }

    public CountingHasher Hasher { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public string RootToken { get; private set; } = string.Empty;

    public string TargetToken { get; private set; } = string.Empty;

    public IServiceProvider Services => _app.Services;

    /// <summary>Account and token lookups the verifier made (find_user, find_account, find_by_selector, list_selectors).</summary>
    public long StoreCalls => Interlocked.Read(ref _storeCalls);

    public static async Task<KestrelAttackHost> StartAsync(Action<ApiTokenOptions>? configure = null)
    {
        var hasher = new CountingHasher(HashParameters.Default);
        var path = Path.Combine(Path.GetTempPath(), $"apitokens-attack-{Guid.NewGuid():N}.db");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<IApiTokenHasher>(hasher);
        builder.Services.AddApiTokens(o =>
        {
            o.Hashing = HashParameters.Default;
            configure?.Invoke(o);
        })
            .AddInMemoryAccounts(a => a.Add(AuthHost.UserName, "all"))
            .AddEntityFrameworkStore(o => o.UseSqlite($"Data Source={path}"));
        builder.Services.AddAuthentication(AuthHost.Whm).AddWhmTokens();
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Headers.TryGetValue(ClientHeader, out var value) && IPAddress.TryParse(value, out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }

            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapWhmTokenApi();
        app.MapGet("/ping", (HttpContext c) => c.User.Identity?.IsAuthenticated == true ? Results.Ok() : Results.Unauthorized());

        var host = new KestrelAttackHost(app, hasher, path);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ApiTokensDbContext>().Database.EnsureApiTokensCreatedAsync().ConfigureAwait(false);
            var manager = scope.ServiceProvider.GetRequiredService<ApiTokenManager>();
            var root = await app.Services.GetRequiredService<InMemoryAccountProvider>().FindByUserNameAsync(AuthHost.UserName, CancellationToken.None).ConfigureAwait(false);
            host.RootToken = (await manager.CreateAsync(root!.Id, new ApiTokenCreateRequest { Name = "legitimate" }).ConfigureAwait(false)).Value!.PlaintextToken;
            host.TargetToken = (await manager.CreateAsync(root.Id, new ApiTokenCreateRequest { Name = "existing" }).ConfigureAwait(false)).Value!.PlaintextToken;
        }

        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseAddress = new Uri(address);
        return host;
    }

    public HttpClient CreateClient() => new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = BaseAddress };

    public void ResetCounts()
    {
        Hasher.Reset();
        Interlocked.Exchange(ref _storeCalls, 0);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }
}
