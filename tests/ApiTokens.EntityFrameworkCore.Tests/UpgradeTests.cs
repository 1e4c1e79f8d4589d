using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>
/// A database made by the version before rotation and expiry warnings (its token table written by hand, as it was), upgraded as
/// the package README says: the statements are read from the README itself, so the README cannot drift from the model.
/// </summary>
public sealed class UpgradeTests
{
    private const string UpgradeHeading = "### Upgrading a table made before rotation and expiry warnings";

    private static readonly CancellationToken Ct = CancellationToken.None;

    // The token table before this version, as EF Core made it then (and as the README showed it).
    private const string OldSqliteTable = """
        CREATE TABLE "api_tokens" (
            "id" TEXT NOT NULL CONSTRAINT "pk_api_tokens" PRIMARY KEY,
            "account_id" TEXT NOT NULL,
            "name" TEXT NOT NULL,
            "selector" TEXT NOT NULL,
            "secret_hash" TEXT NOT NULL,
            "created_at" INTEGER NOT NULL,
            "expires_at" INTEGER NULL,
            "acls" TEXT NULL,
            "whitelist_ips" TEXT NULL,
            "last_used_at" INTEGER NULL,
            "last_used_ip" TEXT NULL,
            "concurrency_stamp" TEXT NOT NULL
        );
        CREATE UNIQUE INDEX "ix_api_tokens_account_id_name" ON "api_tokens" ("account_id", "name");
        CREATE UNIQUE INDEX "ix_api_tokens_account_id_selector" ON "api_tokens" ("account_id", "selector");
        """;

    private const string OldPostgresTable = """
        CREATE TABLE api_tokens (
            id uuid NOT NULL,
            account_id character varying(128) NOT NULL,
            name character varying(50) NOT NULL,
            selector character varying(32) NOT NULL,
            secret_hash character varying(256) NOT NULL,
            created_at bigint NOT NULL,
            expires_at bigint,
            acls text,
            whitelist_ips text,
            last_used_at bigint,
            last_used_ip character varying(64),
            concurrency_stamp character varying(64) NOT NULL,
            CONSTRAINT pk_api_tokens PRIMARY KEY (id)
        );
        CREATE UNIQUE INDEX ix_api_tokens_account_id_name ON api_tokens (account_id, name);
        CREATE UNIQUE INDEX ix_api_tokens_account_id_selector ON api_tokens (account_id, selector);
        """;

    public static TheoryData<string> Databases => ["sqlite", "postgres"];

    [SkippableTheory]
    [MemberData(nameof(Databases))]
    public Task ADatabaseWithOnlyTheTokenTable_SeveralNodesStarting_CreateOnlyTheAuditTable_Once(string database) => WithDatabaseAsync(database, async harness =>
    {
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "kept");
        Assert.Equal(ApiTokenStoreResult.Success, await harness.CreateStore().CreateAsync(token, Ct));
        await using (var context = harness.CreateContext())
        {
            await context.Database.ExecuteSqlRawAsync("DROP TABLE api_token_audit");
        }

        var created = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var context = harness.CreateContext();
            return await context.Database.EnsureApiTokensCreatedAsync();
        })));

        Assert.Single(created, c => c);
        Assert.Equal(token.Id, (await harness.CreateStore().FindByNameAsync(account, "kept", Ct))?.Id);
        await AssertMatchesTheModelAsync(harness);
        await AssertAuditWorksAsync(harness, account);
    });

    [SkippableTheory]
    [MemberData(nameof(Databases))]
    public Task ATableMadeBeforeRotation_AfterTheReadmeUpgrade_RotatesFindsLeaksWarnsAndAudits(string database) => WithDatabaseAsync(database, async harness =>
    {
        var account = TestTokens.NewAccountId();
        var old = TestTokens.New(account, "old") with { ExpiresAt = TestTokens.Created.AddDays(3) };
        var errors = new List<string>();
        await using (var context = harness.CreateContext(o => o.LogTo(errors.Add, Microsoft.Extensions.Logging.LogLevel.Error)))
        {
            await context.Database.ExecuteSqlRawAsync("DROP TABLE api_token_audit");
            await context.Database.ExecuteSqlRawAsync("DROP TABLE api_tokens");
            await ExecuteAllAsync(context, database == "sqlite" ? OldSqliteTable : OldPostgresTable);
            object id = database == "sqlite" ? old.Id.ToString().ToUpperInvariant() : old.Id; // as EF Core stored it
            var (created, expires) = (old.CreatedAt.ToUnixTimeSeconds(), old.ExpiresAt!.Value.ToUnixTimeSeconds());
            await context.Database.ExecuteSqlAsync(
                $"INSERT INTO api_tokens (id, account_id, name, selector, secret_hash, created_at, expires_at, concurrency_stamp) VALUES ({id}, {account}, {old.Name}, {old.Selector}, {old.SecretHash}, {created}, {expires}, {old.ConcurrencyStamp})");

            // The README, as written: the column and index statements on both; the audit table's DDL (PostgreSQL) or
            // EnsureApiTokensCreatedAsync, which the README says creates only that table here.
            var blocks = ReadmeSqlBlocks();
            await ExecuteAllAsync(context, blocks[0]);
            if (database == "postgres")
            {
                await ExecuteAllAsync(context, blocks[1]);
            }
            else
            {
                Assert.True(await context.Database.EnsureApiTokensCreatedAsync());
            }

            Assert.False(await context.Database.EnsureApiTokensCreatedAsync());
        }

        Assert.Empty(errors); // a missing table is asked of the catalog, not found by a failing query

        await AssertMatchesTheModelAsync(harness);
        var stored = await harness.CreateStore().FindByNameAsync(account, "old", Ct);
        Assert.NotNull(stored);
        Assert.Equal(old.ExpiresAt, stored.ExpiresAt);
        Assert.Null(stored.PreviousSelector);
        Assert.Null(stored.ExpiryWarnedFor);

        var rotated = stored with
        {
            Selector = TestTokens.NewSelector(),
            PreviousSelector = old.Selector,
            PreviousSecretHash = old.SecretHash,
            PreviousSecretExpiresAt = TestTokens.Created.AddHours(1),
            ConcurrencyStamp = TestTokens.NewStamp(),
        };
        Assert.Equal(ApiTokenStoreResult.Success, await harness.CreateStore().UpdateAsync(rotated, old.ConcurrencyStamp, Ct));
        Assert.Equal(old.Id, (await harness.CreateStore().FindBySelectorAsync(account, old.Selector, Ct))?.Id);
        Assert.Equal(old.Id, Assert.Single(await harness.CreateStore().FindAllBySelectorAsync(old.Selector, Ct)).Id);
        Assert.Equal(ApiTokenStoreResult.DuplicateSelector, await harness.CreateStore().CreateAsync(TestTokens.New(account, "new", old.Selector), Ct));
        Assert.Equal(old.Id, Assert.Single(await harness.CreateStore().ListExpiringAsync(old.CreatedAt, old.ExpiresAt!.Value, 10, Ct)).Id);
        Assert.True(await harness.CreateStore().TryMarkExpiryWarnedAsync(account, old.Id, old.ExpiresAt!.Value, Ct));
        Assert.Empty(await harness.CreateStore().ListExpiringAsync(old.CreatedAt, old.ExpiresAt!.Value, 10, Ct));
        await AssertAuditWorksAsync(harness, account);
    });

    /// <summary>Every column and index of the model's two tables is in the database (names compared exactly).</summary>
    private static async Task AssertMatchesTheModelAsync(EfHarness harness)
    {
        await using var context = harness.CreateContext();
        var postgres = context.Database.ProviderName!.Contains("Npgsql", StringComparison.Ordinal);
        foreach (var type in new[] { typeof(ApiTokenEntity), typeof(ApiTokenAuditEntity) })
        {
            var entity = context.Model.FindEntityType(type)!;
            var table = entity.GetTableName()!;
            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            var columns = await context.Database.SqlQueryRaw<string>(
                postgres
                    ? "SELECT column_name::text AS \"Value\" FROM information_schema.columns WHERE table_name = {0}"
                    : "SELECT name AS \"Value\" FROM pragma_table_info({0})",
                table).ToListAsync();
            var indexes = await context.Database.SqlQueryRaw<string>(
                postgres
                    ? "SELECT indexname::text AS \"Value\" FROM pg_indexes WHERE tablename = {0}"
                    : "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'index' AND tbl_name = {0}",
                table).ToListAsync();

            Assert.Equal(entity.GetProperties().Select(p => p.GetColumnName(store)!).Order(StringComparer.Ordinal), columns.Order(StringComparer.Ordinal));
            Assert.All(entity.GetIndexes(), i => Assert.Contains(i.GetDatabaseName(store)!, indexes));
        }
    }

    private static async Task AssertAuditWorksAsync(EfHarness harness, string account)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_500);
        await harness.CreateAuditStore().AppendAsync(
            new ApiTokenAuditEvent(ApiTokenAuditAction.Rotated, account, "root", "old", null, time, "root", "192.0.2.1") { ExpiresAt = time.AddHours(1) }, Ct);
        var stored = Assert.Single((await harness.CreateAuditStore().QueryAsync(new ApiTokenAuditQuery { AccountId = account }, Ct)).Events);
        Assert.Equal(ApiTokenAuditAction.Rotated, stored.Action);
        Assert.Equal(time, stored.Time);
    }

    private static async Task ExecuteAllAsync(DbContext context, string script)
    {
        foreach (var statement in script.Split(';').Select(s => s.Trim()).Where(s => s.Length > 0))
        {
            await context.Database.ExecuteSqlRawAsync(statement);
        }
    }

    /// <summary>The <c>```sql</c> blocks under the README's upgrade heading, up to the next heading, without their comments.</summary>
    private static List<string> ReadmeSqlBlocks()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "ApiTokens.EntityFrameworkCore", "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf(UpgradeHeading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"The package README has no section '{UpgradeHeading}'.");
        var section = readme[(start + UpgradeHeading.Length)..];
        var end = section.IndexOf("\n#", StringComparison.Ordinal);
        section = end < 0 ? section : section[..end];
        var blocks = section.Split("```sql\n").Skip(1)
            .Select(b => string.Join("\n", b[..b.IndexOf("```", StringComparison.Ordinal)].Split('\n').Select(l => l.Split("--")[0])))
            .ToList();
        Assert.Equal(2, blocks.Count);
        return blocks;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ApiTokens.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ApiTokens.sln not found above the test output.");
    }

    private static async Task WithDatabaseAsync(string database, Func<EfHarness, Task> test)
    {
        EfHarness harness = database == "sqlite" ? new SqliteHarness() : new PostgresHarness();
        await harness.InitializeAsync();
        try
        {
            harness.EnsureAvailable();
            await test(harness);
        }
        finally
        {
            await harness.DisposeAsync();
        }
    }
}
