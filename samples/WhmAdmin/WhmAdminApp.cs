using ApiTokens;
using ApiTokens.Authentication;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
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

    /// <summary>The PostgreSQL advisory lock key that serialises <see cref="InitializeDatabaseAsync(IServiceProvider)"/> ("WHMADMIN").</summary>
    private const long InitializationLockKey = 0x57484D41444D494E;

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
        services.Configure<WhmAdminOptions>(configuration.GetSection("WhmAdmin"));
        AddDatabase(services, configuration);

        var apiTokens = services.AddApiTokens(o => configuration.GetSection("ApiTokens").Bind(o))
            .AddAccountProvider<DbAccountProvider>()
            .AddEntityFrameworkStore<WhmAdminDbContext>()
            .AddPage();
        AddSignIn(services);
        if (configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            // Every revocation and account change reaches the other processes' verify caches (see docs/many-nodes.md).
            apiTokens.AddRedisBackplane(redis, o => configuration.GetSection("ApiTokens:Redis").Bind(o));
        }

        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        app.MapGet("/", () => Results.LocalRedirect(LoginEndpoints.DefaultReturnUrl));
        LoginEndpoints.Map(app);
        app.MapApiTokensPage("/tokens");
        app.MapWhmTokenApi();
        AdminEndpoints.Map(app);
        return app;
    }

    /// <summary>
    /// Creates the schema if needed and seeds the first accounts. Safe to call on every start, and from several
    /// instances starting at once: they take turns, under an advisory lock on PostgreSQL and an exclusive lock on a
    /// <c>.init-lock</c> file next to the SQLite database.
    /// </summary>
    public static async Task InitializeDatabaseAsync(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WhmAdminDbContext>();
        if (!db.Database.IsNpgsql())
        {
            using var fileLock = await AcquireSqliteInitializationLockAsync(db).ConfigureAwait(false);
            await InitializeDatabaseAsync(scope.ServiceProvider, db).ConfigureAwait(false);
            return;
        }

        if (!await db.Database.CanConnectAsync().ConfigureAwait(false))
        {
            await db.Database.EnsureCreatedAsync().ConfigureAwait(false); // no database yet: create it, if the role may
        }

        // Two nodes started together on a new database would otherwise both create the tables and seed root.
        // A session-level lock: hold one connection open for the whole initialization.
        await db.Database.OpenConnectionAsync().ConfigureAwait(false);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({InitializationLockKey})").ConfigureAwait(false);
            try
            {
                await InitializeDatabaseAsync(scope.ServiceProvider, db).ConfigureAwait(false);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({InitializationLockKey})").ConfigureAwait(false);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Two processes started together on a new SQLite file would otherwise both create the tables and seed root. An
    /// exclusive lock on a file next to the database (released when the handle closes, even if the process dies).
    /// </summary>
    private static async Task<IDisposable?> AcquireSqliteInitializationLockAsync(WhmAdminDbContext db)
    {
        var dataSource = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var path = Path.GetFullPath(dataSource) + ".init-lock";
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (attempt < 600)
            {
                await Task.Delay(50).ConfigureAwait(false); // another instance is initializing: up to 30 s
            }
        }
    }

    private static async Task InitializeDatabaseAsync(IServiceProvider services, WhmAdminDbContext db)
    {
        await db.Database.EnsureCreatedAsync().ConfigureAwait(false);
        await db.Database.EnsureApiTokensCreatedAsync().ConfigureAwait(false); // a database made before tokens were added
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("WhmAdmin.Startup");
        await EnsurePasswordColumnAsync(db, logger).ConfigureAwait(false); // a database made before sign-in was added
        var seed = services.GetRequiredService<IOptions<SeedOptions>>().Value;
        var passwords = services.GetRequiredService<IOptions<WhmAdminOptions>>().Value;
        if (!await db.Accounts.AnyAsync().ConfigureAwait(false))
        {
            await SeedAccountsAsync(services, db, seed, passwords).ConfigureAwait(false);
        }

        await SeedRootPasswordAsync(db, seed, passwords, logger).ConfigureAwait(false);
    }

    private static async Task SeedAccountsAsync(IServiceProvider services, WhmAdminDbContext db, SeedOptions seed, WhmAdminOptions passwords)
    {
        var catalog = services.GetRequiredService<PrivilegeCatalog>();
        var unknown = seed.ResellerPrivileges.Where(p => !catalog.Contains(p)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"WhmAdmin:Seed:ResellerPrivileges names unknown privileges: {string.Join(", ", unknown)}. Use names from the WHM ACL chart.");
        }

        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var root = new Account
        {
            Id = Guid.NewGuid().ToString("N"),
            UserName = seed.RootUser,
            Privileges = WhmPrivileges.All,
            CreatedAt = now,
        };
        db.Accounts.Add(root);
        var reseller = new Account
        {
            Id = Guid.NewGuid().ToString("N"),
            UserName = seed.ResellerUser,
            OwnerId = root.Id,
            Privileges = Account.JoinPrivileges(WhmPrivileges.InitialResellerPrivileges.Concat(seed.ResellerPrivileges)),
            CreatedAt = now,
        };
        if (!string.IsNullOrEmpty(passwords.ResellerPassword))
        {
            reseller.PasswordHash = AccountPasswords.Hash(reseller, passwords.ResellerPassword);
        }

        db.Accounts.Add(reseller);
        await db.SaveChangesAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Gives root its password from <c>WhmAdmin:RootPassword</c> when it has none (first start, or a database made before
    /// sign-in was added), and warns when the development default is in use or the configured password is being ignored.
    /// </summary>
    private static async Task SeedRootPasswordAsync(WhmAdminDbContext db, SeedOptions seed, WhmAdminOptions passwords, ILogger logger)
    {
        var root = await db.Accounts.FirstOrDefaultAsync(a => a.UserName == seed.RootUser).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(passwords.RootPassword))
        {
            throw new InvalidOperationException("WhmAdmin:RootPassword is empty. Set root's password, for example WhmAdmin__RootPassword=...");
        }

        if (root.PasswordHash is null)
        {
            root.PasswordHash = AccountPasswords.Hash(root, passwords.RootPassword);
            await db.SaveChangesAsync().ConfigureAwait(false);
        }
        else if (!AccountPasswords.Verify(root, passwords.RootPassword))
        {
            Log.ConfiguredRootPasswordIgnored(logger);
        }

        if (AccountPasswords.Verify(root, WhmAdminOptions.DevRootPassword))
        {
            Log.DefaultRootPassword(logger);
        }
    }

    private static async Task EnsurePasswordColumnAsync(WhmAdminDbContext db, ILogger logger)
    {
        var table = WhmAdminDbContext.AccountsTable;
        var column = WhmAdminDbContext.PasswordHashColumn;
        var exists = db.Database.IsNpgsql()
            ? await db.Database.SqlQuery<int>($"SELECT COUNT(*)::int AS \"Value\" FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = {table} AND column_name = {column}")
                .ToListAsync().ConfigureAwait(false)
            : await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM pragma_table_info({table}) WHERE name = {column}")
                .ToListAsync().ConfigureAwait(false);
        if (exists[0] > 0)
        {
            return;
        }

        var type = db.Database.IsNpgsql() ? $"character varying({WhmAdminDbContext.PasswordHashMaxLength})" : "TEXT";
#pragma warning disable EF1002 // identifiers are constants of this class, not user input
        await db.Database.ExecuteSqlRawAsync($"ALTER TABLE {table} ADD COLUMN {column} {type} NULL").ConfigureAwait(false);
#pragma warning restore EF1002
        Log.PasswordColumnAdded(logger, column);
    }

    /// <summary>
    /// Browsers sign in with a cookie at <c>/login</c>; scripts send <c>Authorization: whm user:token</c>. A policy scheme
    /// picks one per request. <c>/json-api</c> keeps answering as a token API: 401 with <c>WWW-Authenticate: whm</c>,
    /// 403 naming the missing privilege, never a redirect to the login form.
    /// </summary>
    private static void AddSignIn(IServiceCollection services)
    {
        const string scheme = "cookie-or-whm";
        services.AddAuthentication(scheme)
            .AddPolicyScheme(scheme, "Cookie or whm token", o => o.ForwardDefaultSelector = context =>
                WhmAuthorization.IsWhm(context.Request.Headers.Authorization)
                    ? WhmTokenDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.Cookie.Name = "whmadmin";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = context => IsApi(context.Request)
                    ? context.HttpContext.ChallengeAsync(WhmTokenDefaults.AuthenticationScheme)
                    : RedirectAsync(context);
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
                o.Events.OnValidatePrincipal = ValidateSessionAsync;
            })
            .AddWhmTokens();

        static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/json-api", StringComparison.OrdinalIgnoreCase);

        static Task RedirectAsync(RedirectContext<CookieAuthenticationOptions> context)
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
    }

    /// <summary>A session ends when its account is removed, renamed or suspended.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var name = context.Principal?.Identity?.Name;
        var db = context.HttpContext.RequestServices.GetRequiredService<WhmAdminDbContext>();
        var account = id is null ? null : await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (account is null || account.IsSuspended || !string.Equals(account.UserName, name, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
        }
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
