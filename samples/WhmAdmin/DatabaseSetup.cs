using ApiTokens;
using ApiTokens.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace WhmAdmin;

/// <summary>The sample's database: which one it uses, creating its schema, and seeding the first accounts.</summary>
internal static class DatabaseSetup
{
    /// <summary>The default SQLite file name, created next to the app on first start.</summary>
    public const string DefaultDatabaseFile = "whmadmin.db";

    /// <summary>The PostgreSQL advisory lock key that serialises <see cref="InitializeAsync(IServiceProvider)"/> ("WHMADMIN").</summary>
    private const long InitializationLockKey = 0x57484D41444D494E;

    /// <summary>
    /// Registers <see cref="WhmAdminDbContext"/> on the store <c>ApiTokens:Store</c> names (<c>sqlite</c>, the default, or
    /// <c>postgres</c>) with <c>ConnectionStrings:ApiTokens</c>; SQLite defaults to <see cref="DefaultDatabaseFile"/> next to the app.
    /// </summary>
    public static void AddDatabase(IServiceCollection services, IConfiguration configuration)
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

    /// <summary>
    /// Creates the schema if needed and seeds the first accounts. Safe to call on every start, and from several
    /// instances starting at once: they take turns, under an advisory lock on PostgreSQL and an exclusive lock on a
    /// <c>.init-lock</c> file next to the SQLite database.
    /// </summary>
    public static async Task InitializeAsync(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WhmAdminDbContext>();
        if (!db.Database.IsNpgsql())
        {
            using var fileLock = await AcquireSqliteInitializationLockAsync(db).ConfigureAwait(false);
            await InitializeAsync(scope.ServiceProvider, db).ConfigureAwait(false);
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
                await InitializeAsync(scope.ServiceProvider, db).ConfigureAwait(false);
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

    private static async Task InitializeAsync(IServiceProvider services, WhmAdminDbContext db)
    {
        await db.Database.EnsureCreatedAsync().ConfigureAwait(false);
        await db.Database.EnsureApiTokensCreatedAsync().ConfigureAwait(false); // a database made before tokens were added
        await AddAccountColumnsAsync(db).ConfigureAwait(false); // a database made before the account functions stored them
        await AddColumnsAsync(db, ApiTokensModelNames.Table, AddedTokenColumns).ConfigureAwait(false); // made before last-used tracking, rotation
        await AddTokenIndexesAsync(db).ConfigureAwait(false); // made before rotation and expiry warnings
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("WhmAdmin.Startup");
        var seed = services.GetRequiredService<IOptions<SeedOptions>>().Value;
        var passwords = services.GetRequiredService<IOptions<WhmAdminOptions>>().Value;
        if (!await db.Accounts.AnyAsync().ConfigureAwait(false))
        {
            await SeedAccountsAsync(services, db, seed, passwords).ConfigureAwait(false);
        }

        await SeedRootPasswordAsync(db, seed, passwords, logger).ConfigureAwait(false);
    }

    /// <summary>The accounts table's columns added after its first release: name, SQLite type, PostgreSQL type (as EF Core makes them).</summary>
    private static readonly (string Name, string Sqlite, string Postgres)[] AddedAccountColumns =
    [
        ("suspend_reason", "TEXT", $"character varying({AccountRules.MaxReasonLength})"),
        ("suspended_at", "TEXT", "timestamp with time zone"),
        ("domain", "TEXT", $"character varying({AccountRules.MaxDomainLength})"),
        ("contact_email", "TEXT", $"character varying({AccountRules.MaxEmailLength})"),
        ("plan", "TEXT", $"character varying({AccountRules.MaxPlanLength})"),
    ];

    /// <summary>
    /// The token table's columns added after its first release (last-used tracking; rotation and expiry warnings), as the EF Core
    /// model makes them. (EnsureApiTokensCreatedAsync above adds the audit table to a database that lacks it.)
    /// </summary>
    private static readonly (string Name, string Sqlite, string Postgres)[] AddedTokenColumns =
    [
        ("last_used_at", "INTEGER", "bigint"),
        ("last_used_ip", "TEXT", $"character varying({ApiTokensModelNames.LastUsedIpMaxLength})"),
        ("previous_selector", "TEXT", $"character varying({ApiTokensModelNames.SelectorMaxLength})"),
        ("previous_secret_hash", "TEXT", $"character varying({ApiTokensModelNames.SecretHashMaxLength})"),
        ("previous_expires_at", "INTEGER", "bigint"),
        ("expiry_warned_for", "INTEGER", "bigint"),
    ];

    /// <summary>The token table's indexes added after its first release (rotation, leak revocation, expiry warnings): unique?, name, columns.</summary>
    private static readonly (bool Unique, string Name, string Columns)[] AddedTokenIndexes =
    [
        (true, ApiTokensModelNames.PreviousSelectorIndex, "previous_selector, account_id"),
        (false, ApiTokensModelNames.SelectorLookupIndex, "selector"),
        (false, ApiTokensModelNames.ExpiresAtIndex, "expires_at"),
    ];

    /// <summary>
    /// EnsureCreated does not change a table that exists: add the columns (all nullable) and the domain index that a database
    /// made by an older sample lacks. Cheap, and a no-op once they are there.
    /// </summary>
    private static async Task AddAccountColumnsAsync(WhmAdminDbContext db)
    {
        const string table = WhmAdminDbContext.AccountsTable;
        await AddColumnsAsync(db, table, AddedAccountColumns).ConfigureAwait(false);
        var index = $"CREATE UNIQUE INDEX IF NOT EXISTS \"IX_{table}_domain\" ON {table} (domain)";
        await db.Database.ExecuteSqlRawAsync(index).ConfigureAwait(false);
    }

    /// <summary>Creates each of the token table's later indexes that is missing (the same statement on SQLite and PostgreSQL).</summary>
    private static async Task AddTokenIndexesAsync(WhmAdminDbContext db)
    {
        foreach (var (unique, name, columns) in AddedTokenIndexes)
        {
            // The names are the constants above, never input.
            var create = $"CREATE {(unique ? "UNIQUE " : string.Empty)}INDEX IF NOT EXISTS {name} ON {ApiTokensModelNames.Table} ({columns})";
            await db.Database.ExecuteSqlRawAsync(create).ConfigureAwait(false);
        }
    }

    /// <summary>Adds each of <paramref name="columns"/> (nullable) that <paramref name="table"/> lacks; a no-op once they are there.</summary>
    private static async Task AddColumnsAsync(WhmAdminDbContext db, string table, (string Name, string Sqlite, string Postgres)[] columns)
    {
        var postgres = db.Database.IsNpgsql();
        foreach (var (name, sqlite, pg) in columns)
        {
            // The names and types are the constants above, never input.
            if (postgres)
            {
                var alter = $"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {name} {pg}";
                await db.Database.ExecuteSqlRawAsync(alter).ConfigureAwait(false);
            }
            else if (await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM pragma_table_info({table}) WHERE name = {name}")
                .SingleAsync().ConfigureAwait(false) == 0)
            {
                var alter = $"ALTER TABLE {table} ADD COLUMN {name} {sqlite}";
                await db.Database.ExecuteSqlRawAsync(alter).ConfigureAwait(false);
            }
        }
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
    /// Gives root its password from <c>WhmAdmin:RootPassword</c> when it has none (first start), and warns when the development default is in use or the configured password is being ignored.
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
}
