using ApiTokens;

namespace WhmAdmin;

/// <summary>
/// The sample WHM admin app: accounts in its own table, WHM API 1 token functions from the library,
/// WHM's account functions (version, listaccts, createacct, …), and the library's <c>tokens</c> command line for bootstrapping (see Program.cs).
/// </summary>
public static class WhmAdminApp
{
    /// <summary>The address it listens on unless <c>--urls</c> or <c>ASPNETCORE_URLS</c> says otherwise.</summary>
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>The default SQLite file name, created next to the app on first start.</summary>
    public const string DefaultDatabaseFile = DatabaseSetup.DefaultDatabaseFile;

    /// <summary>
    /// Builds the web app from <paramref name="args"/> (ASP.NET configuration: appsettings, environment,
    /// command line). <paramref name="configure"/> runs last, before the app is built (tests add loggers or a clock here).
    /// Call <see cref="InitializeDatabaseAsync"/> before starting it, or before <c>RunApiTokensCommandsAsync</c>: when
    /// <paramref name="args"/> start with <c>tokens</c>, logs go to standard error so standard output stays machine-readable.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (args.Length > 0 && args[0] == "tokens")
        {
            // The token is alone on the last line of standard output: scripts read it with `tail -1`.
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var configuration = builder.Configuration;
        var services = builder.Services;
        services.Configure<SeedOptions>(configuration.GetSection("WhmAdmin:Seed"));
        services.AddOptions<WhmAdminOptions>()
            .Bind(configuration.GetSection("WhmAdmin"))
            .Validate(o => WhmAdminOptions.IsValidVersion(o.Version), "WhmAdmin:Version must be a cPanel build string such as 11.126.0.5 (dot-separated numbers): WHM clients parse it.")
            .Validate(o => System.Net.IPAddress.TryParse(o.SharedIp, out _), "WhmAdmin:SharedIp must be an IP address, for example 192.0.2.10.")
            .Validate(o => o.SearchTimeout > TimeSpan.Zero, "WhmAdmin:SearchTimeout must be positive, for example 00:00:00.200.")
            .Validate(o => o.LoginMaxFailures >= 1 && o.LoginMaxFailuresPerAddress >= o.LoginMaxFailures, "WhmAdmin:LoginMaxFailures must be at least 1, and WhmAdmin:LoginMaxFailuresPerAddress at least as large.")
            .Validate(o => o.LoginFailureWindow >= TimeSpan.FromSeconds(1), "WhmAdmin:LoginFailureWindow must be at least one second, for example 00:15:00.")
            .ValidateOnStart();
        services.AddSingleton<LoginThrottle>();
        DatabaseSetup.AddDatabase(services, configuration); // SQLite or PostgreSQL, from ApiTokens:Store

        var apiTokens = services.AddApiTokens(configuration.GetSection("ApiTokens"))
            .AddEntityFrameworkStore<WhmAdminDbContext>()
            .AddEntityFrameworkAuditStore<WhmAdminDbContext>() // the History on the page and `tokens audit` (table api_token_audit)
            .AddAccountProvider<DbAccountProvider>()
            .AddPage();

        // Argon2id on libsodium (ApiTokens.Sodium): the same stored hashes, about 4x faster per create and cold verify
        // (docs/hashing.md). WhmAdmin:Hasher=managed keeps the managed Isopoh hasher, for comparisons such as the storm benchmark.
        if (!string.Equals(configuration["WhmAdmin:Hasher"], "managed", StringComparison.OrdinalIgnoreCase))
        {
            apiTokens.AddSodiumHasher();
        }

        if (configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            // Every revocation and account change reaches the other processes' verify caches (see docs/many-nodes.md).
            apiTokens.AddRedisBackplane(redis, o => configuration.GetSection("ApiTokens:Redis").Bind(o));
        }

        // Scripts send "Authorization: whm user:token"; browsers sign in with a cookie at /login (see SignIn).
        services.AddAuthentication(SignIn.Scheme)
            .AddWhmTokens()
            .AddCookieSignIn();

        // As on a real WHM, the /json-api functions answer API tokens only: a browser session does not carry its account's
        // privileges to them (they change state on GET and POST without antiforgery, so a cookie must not be enough).
        // The page at /tokens has its own sign-in rules (cookie + antiforgery) and is not affected.
        services.AddPrivilegeAuthorization(o => o.SignedInUsersHoldAccountPrivileges = false);

        // The OpenAPI document at /openapi/v1.json: the whm scheme, and each WHM function marked with its privilege.
        services.AddOpenApi(o => o.AddWhmTokenSecurity());

        // /healthz (the library's health checks as JSON), /livez, and /metrics for a scraper on this machine (see Observability).
        Observability.Add(builder);

        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        Observability.Map(app);
        app.MapOpenApi().AllowAnonymous();
        app.MapGet("/", () => Results.LocalRedirect(LoginEndpoints.DefaultReturnUrl));
        LoginEndpoints.Map(app);
        app.MapApiTokensPage("/tokens");
        app.MapWhmTokenApi();

        // A secret scanner (or a person) that finds a token posts it here; a live one is revoked at once (docs/leaked-tokens.md).
        app.MapLeakedTokenRevocation("/api-tokens/leaked");
        AdminEndpoints.Map(app);
        return app;
    }

    /// <summary>
    /// Creates the schema if needed and seeds the first accounts. Safe to call on every start, and from several
    /// instances starting at once: they take turns, under an advisory lock on PostgreSQL and an exclusive lock on a
    /// <c>.init-lock</c> file next to the SQLite database.
    /// </summary>
    public static Task InitializeDatabaseAsync(IServiceProvider services) => DatabaseSetup.InitializeAsync(services);
}
