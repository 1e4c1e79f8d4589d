using ApiTokens;
using ApiTokens.Authentication;
using ApiTokens.Privileges;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace WhmAdmin;

/// <summary>
/// The sample WHM admin app: accounts in its own table, WHM API 1 token functions from the library,
/// a few WHM account functions, and a <c>tokens</c> command line for bootstrapping.
/// </summary>
public static class WhmAdminApp
{
    /// <summary>The address it listens on unless <c>--urls</c> or <c>ASPNETCORE_URLS</c> says otherwise.</summary>
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>The default SQLite file name, created next to the app on first start.</summary>
    public const string DefaultDatabaseFile = "whmadmin.db";

    /// <summary>Runs the web app, or the <c>tokens</c> command line when the first argument is <c>tokens</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "tokens")
        {
            return await RunCliAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
        }

        await using var app = Build(args);
        await InitializeDatabaseAsync(app.Services).ConfigureAwait(false);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// Runs <c>tokens create|list|revoke …</c> against the configured store. Returns the exit code;
    /// <c>tokens create</c> prints the plaintext token alone on the last line of <paramref name="stdout"/>.
    /// </summary>
    public static async Task<int> RunCliAsync(string[] args, TextWriter stdout, TextWriter stderr, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (!TokensCli.TryParse(args, out var command, out var parseError))
        {
            await stderr.WriteLineAsync(parseError).ConfigureAwait(false);
            await stderr.WriteLineAsync(TokensCli.Usage).ConfigureAwait(false);
            return 2;
        }

        var hostArgs = args.Where((_, i) => !TokensCli.IsCliArgument(args, i)).ToArray();
        await using var app = Build(hostArgs, builder =>
        {
            // Logs go to standard error so standard output stays machine-readable.
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            configure?.Invoke(builder);
        });
        await InitializeDatabaseAsync(app.Services).ConfigureAwait(false);
        await using var scope = app.Services.CreateAsyncScope();
        return await TokensCli.RunAsync(command, scope.ServiceProvider, stdout, stderr).ConfigureAwait(false);
    }

    /// <summary>
    /// Builds the web app from <paramref name="args"/> (ASP.NET configuration: appsettings, environment,
    /// command line). <paramref name="configure"/> runs last, before the app is built (tests add loggers or a clock here).
    /// Call <see cref="InitializeDatabaseAsync"/> before starting it.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var configuration = builder.Configuration;
        var services = builder.Services;
        services.Configure<SeedOptions>(configuration.GetSection("WhmAdmin:Seed"));
        AddDatabase(services, configuration);

        services.AddApiTokens(o => configuration.GetSection("ApiTokens").Bind(o))
            .AddAccountProvider<DbAccountProvider>()
            .AddEntityFrameworkStore<WhmAdminDbContext>();
        services.AddAuthentication(WhmTokenDefaults.AuthenticationScheme).AddWhmTokens();

        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        app.MapWhmTokenApi();
        AdminEndpoints.Map(app);
        return app;
    }

    /// <summary>Creates the schema if needed and seeds the first accounts. Safe to call on every start.</summary>
    public static async Task InitializeDatabaseAsync(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WhmAdminDbContext>();
        await db.Database.EnsureCreatedAsync().ConfigureAwait(false);
        await db.Database.EnsureApiTokensCreatedAsync().ConfigureAwait(false); // a database made before tokens were added
        if (await db.Accounts.AnyAsync().ConfigureAwait(false))
        {
            return;
        }

        var seed = scope.ServiceProvider.GetRequiredService<IOptions<SeedOptions>>().Value;
        var catalog = scope.ServiceProvider.GetRequiredService<PrivilegeCatalog>();
        var unknown = seed.ResellerPrivileges.Where(p => !catalog.Contains(p)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"WhmAdmin:Seed:ResellerPrivileges names unknown privileges: {string.Join(", ", unknown)}. Use names from the WHM ACL chart.");
        }

        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var root = new Account
        {
            Id = Guid.NewGuid().ToString("N"),
            UserName = seed.RootUser,
            Privileges = WhmPrivileges.All,
            CreatedAt = now,
        };
        db.Accounts.Add(root);
        db.Accounts.Add(new Account
        {
            Id = Guid.NewGuid().ToString("N"),
            UserName = seed.ResellerUser,
            OwnerId = root.Id,
            Privileges = Account.JoinPrivileges(WhmPrivileges.InitialResellerPrivileges.Concat(seed.ResellerPrivileges)),
            CreatedAt = now,
        });
        await db.SaveChangesAsync().ConfigureAwait(false);
    }

    private static void AddDatabase(IServiceCollection services, IConfiguration configuration)
    {
        var store = configuration["ApiTokens:Store"] ?? "sqlite";
        var connectionString = configuration.GetConnectionString("ApiTokens");
        if (string.Equals(store, "postgres", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    "ApiTokens:Store is 'postgres' but ConnectionStrings:ApiTokens is empty. Set it, for example ConnectionStrings__ApiTokens=\"Host=127.0.0.1;Username=...;Password=...;Database=whmadmin\".");
            }

            services.AddDbContext<WhmAdminDbContext>(o => o.UseNpgsql(connectionString));
        }
        else if (string.Equals(store, "sqlite", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                connectionString = $"Data Source={Path.Combine(AppContext.BaseDirectory, DefaultDatabaseFile)}";
            }

            services.AddDbContext<WhmAdminDbContext>(o => o.UseSqlite(connectionString));
        }
        else
        {
            throw new InvalidOperationException($"ApiTokens:Store is '{store}'. Use 'sqlite' (the default) or 'postgres'.");
        }
    }
}
