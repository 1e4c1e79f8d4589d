using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>Creating the token and audit tables without the EF Core tools, in the ready context and in an app's own.</summary>
public sealed class SchemaTests(PostgresHarness postgres) : IClassFixture<PostgresHarness>, IDisposable
{
    private readonly string _directory = Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(), "apitokens-tests", Guid.NewGuid().ToString("N"))).FullName;

    [Fact]
    public async Task ReadyContext_EnsureCreated_CreatesAWorkingTable()
    {
        await using var context = new ApiTokensDbContext(
            new DbContextOptionsBuilder<ApiTokensDbContext>().UseSqlite(SqliteConnectionString("ready.db")).Options);

        Assert.True(await context.Database.EnsureCreatedAsync());

        var store = new EntityFrameworkApiTokenStore<ApiTokensDbContext>(context);
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New("a", "t"), default));
        Assert.False(await context.Database.EnsureApiTokensCreatedAsync());
    }

    [Fact]
    public async Task AppContext_OnSqlite_EnsureApiTokensCreated_AddsOnlyTheTokenAndAuditTables_Once_LoggingNoError()
    {
        var errors = new List<string>();
        var options = new DbContextOptionsBuilder<AppDbContext>().UseSqlite(SqliteConnectionString("app.db"))
            .LogTo(errors.Add, Microsoft.Extensions.Logging.LogLevel.Error).Options;
        await using var context = new AppDbContext(options);
        await context.Database.ExecuteSqlRawAsync("CREATE TABLE widgets (Id INTEGER PRIMARY KEY, Label TEXT NOT NULL)");
        context.Widgets.Add(new Widget { Label = "kept" });
        await context.SaveChangesAsync();
        Assert.False(await context.Database.EnsureCreatedAsync()); // EF's own does nothing once any table exists

        Assert.True(await context.Database.EnsureApiTokensCreatedAsync());
        Assert.False(await context.Database.EnsureApiTokensCreatedAsync());

        Assert.Equal("kept", (await context.Widgets.SingleAsync()).Label);
        Assert.Empty(errors);
        await AssertStoreWorksAsync(() => new AppDbContext(options));
    }

    [Fact]
    public async Task AppContext_OnSqlite_SeveralNodesStartingAtOnce_CreateTheTablesOnce()
    {
        var options = new DbContextOptionsBuilder<AppDbContext>().UseSqlite(SqliteConnectionString("race.db")).Options;

        var created = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var context = new AppDbContext(options);
            return await context.Database.EnsureApiTokensCreatedAsync();
        })));

        Assert.Single(created, c => c);
        await AssertStoreWorksAsync(() => new AppDbContext(options));
    }

    [Fact]
    public void GenerateCreateScript_OnSqlite_HasBothTablesAndTheirIndexes_AndNothingElse()
    {
        using var context = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseSqlite("Data Source=unused.db").Options);

        var script = context.Database.GenerateApiTokensCreateScript();

        Assert.Contains("CREATE TABLE \"api_tokens\"", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX \"ix_api_tokens_account_id_name\" ON \"api_tokens\" (\"account_id\", \"name\")", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX \"ix_api_tokens_account_id_selector\" ON \"api_tokens\" (\"account_id\", \"selector\")", script, StringComparison.Ordinal);
        Assert.Contains(
            "CREATE UNIQUE INDEX \"ix_api_tokens_previous_selector_account_id\" ON \"api_tokens\" (\"previous_selector\", \"account_id\")",
            script,
            StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX \"ix_api_tokens_selector\" ON \"api_tokens\" (\"selector\")", script, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX \"ix_api_tokens_expires_at\" ON \"api_tokens\" (\"expires_at\")", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE \"api_token_audit\"", script, StringComparison.Ordinal);
        Assert.Contains("\"id\" INTEGER NOT NULL CONSTRAINT \"pk_api_token_audit\" PRIMARY KEY AUTOINCREMENT", script, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX \"ix_api_token_audit_account_id_time\" ON \"api_token_audit\" (\"account_id\", \"time\")", script, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX \"ix_api_token_audit_time\" ON \"api_token_audit\" (\"time\")", script, StringComparison.Ordinal);
        Assert.DoesNotContain("widgets", script, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateCreateScript_OnPostgres_UsesFittingColumnTypes()
    {
        using var context = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql("Host=unused").Options);

        var script = context.Database.GenerateApiTokensCreateScript();

        Assert.Contains("CREATE TABLE api_tokens", script, StringComparison.Ordinal);
        Assert.Contains("account_id character varying(128) NOT NULL", script, StringComparison.Ordinal);
        Assert.Contains("name character varying(50) NOT NULL", script, StringComparison.Ordinal);
        Assert.Contains("selector character varying(32) NOT NULL", script, StringComparison.Ordinal);
        Assert.Contains("secret_hash character varying(256) NOT NULL", script, StringComparison.Ordinal);
        Assert.Contains("created_at bigint NOT NULL", script, StringComparison.Ordinal);
        Assert.Contains("expires_at bigint", script, StringComparison.Ordinal);
        Assert.Contains("acls text", script, StringComparison.Ordinal);
        Assert.Contains("whitelist_ips text", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX ix_api_tokens_account_id_name ON api_tokens (account_id, name)", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX ix_api_tokens_account_id_selector ON api_tokens (account_id, selector)", script, StringComparison.Ordinal);
        Assert.Contains("previous_selector character varying(32),", script, StringComparison.Ordinal);
        Assert.Contains("previous_secret_hash character varying(256),", script, StringComparison.Ordinal);
        Assert.Contains("previous_expires_at bigint,", script, StringComparison.Ordinal);
        Assert.Contains("expiry_warned_for bigint,", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX ix_api_tokens_previous_selector_account_id ON api_tokens (previous_selector, account_id)", script, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX ix_api_tokens_selector ON api_tokens (selector)", script, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX ix_api_tokens_expires_at ON api_tokens (expires_at)", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE api_token_audit", script, StringComparison.Ordinal);
        Assert.Contains("id bigint GENERATED BY DEFAULT AS IDENTITY", script, StringComparison.Ordinal);
        Assert.Contains("action character varying(32) NOT NULL", script, StringComparison.Ordinal);
        Assert.Contains("time bigint NOT NULL", script, StringComparison.Ordinal);
        Assert.Contains("remote_address character varying(64)", script, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX ix_api_token_audit_account_id_time ON api_token_audit (account_id, time)", script, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX ix_api_token_audit_time ON api_token_audit (time)", script, StringComparison.Ordinal);
        Assert.DoesNotContain("widgets", script, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AppContext_OnPostgres_InItsOwnSchema_SeveralNodesStartingAtOnce_CreateTheTablesOnce()
    {
        postgres.EnsureAvailable();
        var options = new DbContextOptionsBuilder<SchemaAppDbContext>().UseNpgsql(postgres.ConnectionString).Options;

        var created = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var context = new SchemaAppDbContext(options);
            return await context.Database.EnsureApiTokensCreatedAsync();
        })));

        Assert.Single(created, c => c);
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_indexes WHERE schemaname = 'auth' AND tablename = 'api_tokens' AND indexdef LIKE 'CREATE UNIQUE INDEX%'",
                connection);
            Assert.Equal(4L, await command.ExecuteScalarAsync()); // primary key and the three unique keys
            command.CommandText = "SELECT count(*) FROM pg_tables WHERE schemaname = 'auth' AND tablename = 'api_token_audit'";
            Assert.Equal(1L, await command.ExecuteScalarAsync());
        }

        await AssertStoreWorksAsync(() => new SchemaAppDbContext(options));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task AssertStoreWorksAsync<TContext>(Func<TContext> newContext)
        where TContext : DbContext
    {
        await using var first = newContext();
        await using var second = newContext();
        var account = TestTokens.NewAccountId();
        var store = new EntityFrameworkApiTokenStore<TContext>(first);
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(account, "t", "SELECTOR"), default));
        Assert.Equal(ApiTokenStoreResult.DuplicateName, await new EntityFrameworkApiTokenStore<TContext>(second).CreateAsync(TestTokens.New(account, "t"), default));
        Assert.Equal(ApiTokenStoreResult.DuplicateSelector, await store.CreateAsync(TestTokens.New(account, "u", "SELECTOR"), default));
        Assert.Equal("t", (await store.FindBySelectorAsync(account, "SELECTOR", default))?.Name);
        var time = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123);
        await new EntityFrameworkApiTokenAuditStore<TContext>(first).AppendAsync(
            new ApiTokenAuditEvent(ApiTokenAuditAction.Created, account, "root", "t", null, time, "root", "192.0.2.1"), default);
        var history = await new EntityFrameworkApiTokenAuditStore<TContext>(second).QueryAsync(new ApiTokenAuditQuery { AccountId = account }, default);
        Assert.Equal(time, Assert.Single(history.Events).Time);
    }

    private string SqliteConnectionString(string file) => $"Data Source={Path.Combine(_directory, file)}";
}
