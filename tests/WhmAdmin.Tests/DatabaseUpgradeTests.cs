using System.Net;
using ApiTokens.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace WhmAdmin.Tests;

/// <summary>
/// A database made by the sample before rotation and expiry warnings: on start, DatabaseSetup adds the token table's four columns
/// and three indexes and the audit table, and the tokens made before keep working. SQLite (the old table written by hand in a real
/// file) and PostgreSQL (<c>APITOKENS_POSTGRES</c>; skipped without it, except under <c>CI=true</c>).
/// </summary>
public sealed class DatabaseUpgradeTests
{
    private static readonly string[] NewColumns = ["previous_selector", "previous_secret_hash", "previous_expires_at", "expiry_warned_for"];

    private static readonly string[] NewIndexes =
        [ApiTokensModelNames.PreviousSelectorIndex, ApiTokensModelNames.SelectorLookupIndex, ApiTokensModelNames.ExpiresAtIndex];

    // The token table as the sample made it before (EF Core's DDL of that version).
    private const string OldSqliteTable = """
        DROP TABLE api_token_audit;
        CREATE TABLE "api_tokens_old" (
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
        INSERT INTO api_tokens_old SELECT id, account_id, name, selector, secret_hash, created_at, expires_at, acls, whitelist_ips, last_used_at, last_used_ip, concurrency_stamp FROM api_tokens;
        DROP TABLE api_tokens;
        ALTER TABLE api_tokens_old RENAME TO api_tokens;
        CREATE UNIQUE INDEX "ix_api_tokens_account_id_name" ON "api_tokens" ("account_id", "name");
        CREATE UNIQUE INDEX "ix_api_tokens_account_id_selector" ON "api_tokens" ("account_id", "selector");
        """;

    [Fact]
    public async Task AnSqliteDatabaseMadeBeforeRotation_OnStart_GainsTheColumnsIndexesAndAuditTable_AndItsTokensStillWork()
    {
        await using var host = new SampleHost();
        var token = await host.CreateTokenWithCliAsync("root", "before"); // the CLI creates and seeds the database
        var connectionString = new SqliteConnectionStringBuilder { DataSource = host.DatabaseFile, Pooling = false }.ToString();
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var downgrade = connection.CreateCommand();
            downgrade.CommandText = OldSqliteTable;
            await downgrade.ExecuteNonQueryAsync();
        }

        Assert.Empty((await SqliteNamesAsync(connectionString, "SELECT name FROM pragma_table_info('api_tokens')")).Intersect(NewColumns));

        await host.StartAppAsync();
        await host.StopAppAsync();
        await host.StartAppAsync(); // a second start finds everything there

        Assert.Superset(
            NewColumns.ToHashSet(),
            (await SqliteNamesAsync(connectionString, "SELECT name FROM pragma_table_info('api_tokens')")).ToHashSet());
        Assert.Superset(
            NewIndexes.ToHashSet(),
            (await SqliteNamesAsync(connectionString, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'api_tokens'")).ToHashSet());
        Assert.Single(await SqliteNamesAsync(connectionString, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'api_token_audit'"));
        using var response = await host.SendAsync(HttpMethod.Get, "/json-api/version?api.version=1", "root", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(host.Log.Lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [SkippableFact]
    public async Task APostgresDatabaseMadeBeforeRotation_OnStart_GainsTheColumnsIndexesAndAuditTable_AndItsTokensStillWork()
    {
        var configured = Environment.GetEnvironmentVariable("APITOKENS_POSTGRES");
        if (string.IsNullOrWhiteSpace(configured))
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), "APITOKENS_POSTGRES is not set in CI.");
            Skip.If(true, "APITOKENS_POSTGRES is not set (for example Host=127.0.0.1;Port=5432;Username=apitokens;Password=apitokens;Database=apitokens_test).");
        }

        var admin = new NpgsqlConnectionStringBuilder(configured) { Timeout = 5, Pooling = false }.ToString();
        var name = "whmadmin_upgrade_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
        var database = new NpgsqlConnectionStringBuilder(configured) { Database = name, Pooling = false }.ToString();
        try
        {
            await using var host = new SampleHost(settings: ["--ApiTokens:Store=postgres", $"--ConnectionStrings:ApiTokens={database}"]);
            var token = await host.CreateTokenWithCliAsync("root", "before");
            NpgsqlConnection.ClearAllPools();
            // Dropping a column drops its indexes: the table as an older sample made it.
            await ExecuteAsync(
                database,
                "DROP TABLE api_token_audit; ALTER TABLE api_tokens DROP COLUMN previous_selector, DROP COLUMN previous_secret_hash, DROP COLUMN previous_expires_at, DROP COLUMN expiry_warned_for; DROP INDEX ix_api_tokens_selector");

            await host.StartAppAsync();
            await host.StopAppAsync();
            await host.StartAppAsync();

            Assert.Superset(
                NewColumns.ToHashSet(),
                (await PostgresNamesAsync(database, "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'api_tokens'")).ToHashSet());
            Assert.Superset(
                NewIndexes.ToHashSet(),
                (await PostgresNamesAsync(database, "SELECT indexname::text FROM pg_indexes WHERE tablename = 'api_tokens'")).ToHashSet());
            Assert.Single(await PostgresNamesAsync(database, "SELECT tablename::text FROM pg_tables WHERE tablename = 'api_token_audit'"));
            using var response = await host.SendAsync(HttpMethod.Get, "/json-api/version?api.version=1", "root", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await host.StopAppAsync();
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }

    private static async Task<List<string>> SqliteNamesAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task<List<string>> PostgresNamesAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
