using System.Net;
using ApiTokens.Authentication;
using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>An EF Core store whose context cannot hold tokens stops the app when it starts, in every environment, naming the fix.</summary>
public sealed class StartupCheckTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "apitokens-tests", Guid.NewGuid().ToString("N"));

    public StartupCheckTests() => Directory.CreateDirectory(_directory);

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "app.db") }.ToString();

    [Fact]
    public async Task AContextWithoutTheTokenTable_StopsStartUp_NamingModelBuilderAddApiTokens()
    {
        await using var app = BuildWebApp(s =>
        {
            s.AddDbContext<WidgetsOnlyDbContext>(o => o.UseSqlite(ConnectionString));
            s.AddApiTokens().AddEntityFrameworkStore<WidgetsOnlyDbContext>().AddInMemoryAccounts();
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("modelBuilder.AddApiTokens()", ex.Message, StringComparison.Ordinal);
        Assert.Contains("WidgetsOnlyDbContext.OnModelCreating", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "app.db")), "the check reads the model only; it opens no connection");
    }

    [Fact]
    public async Task AnAuditStoreOverAContextWithoutTheTables_StopsStartUp_NamingModelBuilderAddApiTokens()
    {
        await using var app = BuildWebApp(s =>
        {
            s.AddDbContext<WidgetsOnlyDbContext>(o => o.UseSqlite(ConnectionString));
            s.AddApiTokens().AddInMemoryStore().AddEntityFrameworkAuditStore<WidgetsOnlyDbContext>().AddInMemoryAccounts();
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("AddEntityFrameworkAuditStore<WidgetsOnlyDbContext>()", ex.Message, StringComparison.Ordinal);
        Assert.Contains("modelBuilder.AddApiTokens()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AContextThatIsNotRegistered_StopsStartUp_NamingAddDbContext()
    {
        await using var app = BuildWebApp(s => s.AddApiTokens().AddEntityFrameworkStore<AppDbContext>().AddInMemoryAccounts());

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("services.AddDbContext<AppDbContext>", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGenericHostWithAContextWithoutTheTokenTable_DoesNotStartEither()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Services.AddDbContext<WidgetsOnlyDbContext>(o => o.UseSqlite(ConnectionString));
        builder.Services.AddApiTokens().AddEntityFrameworkStore<WidgetsOnlyDbContext>().AddInMemoryAccounts();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("modelBuilder.AddApiTokens()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAppsOwnContextWithTheTokenTable_Starts_AndItsTokensWork()
    {
        await using var app = BuildWebApp(s =>
        {
            s.AddSingleton<IApiTokenHasher>(new CountingHasher());
            s.AddDbContext<AppDbContext>(o => o.UseSqlite(ConnectionString));
            s.AddApiTokens().AddEntityFrameworkStore<AppDbContext>().AddInMemoryAccounts();
        });
        var root = app.Services.GetRequiredService<InMemoryAccountProvider>().Add("root", "all");
        app.MapGet("/me", (HttpContext c) => c.User.Identity!.Name).RequireAuthorization();
        string token;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.EnsureCreatedAsync();
            token = (await scope.ServiceProvider.GetRequiredService<ApiTokenManager>().CreateAsync(root.Id, new ApiTokenCreateRequest { Name = "t" })).Value!.PlaintextToken;
        }

        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.TryAddWithoutValidation("Authorization", $"whm root:{token}");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("root", await response.Content.ReadAsStringAsync());
        await app.StopAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static WebApplication BuildWebApp(Action<IServiceCollection> register)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        register(builder.Services);
        builder.Services.AddAuthentication(WhmTokenDefaults.AuthenticationScheme).AddWhmTokens();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>An app's context that forgot <c>modelBuilder.AddApiTokens()</c>.</summary>
    private sealed class WidgetsOnlyDbContext(DbContextOptions<WidgetsOnlyDbContext> options) : DbContext(options)
    {
        public DbSet<Widget> Widgets => Set<Widget>();

        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<Widget>().ToTable("widgets");
    }
}
