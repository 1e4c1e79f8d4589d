using System.Text.Json;
using Npgsql;

namespace WhmAdmin.Tests;

/// <summary>
/// The account functions on the sample's PostgreSQL path (<c>ApiTokens:Store=postgres</c>), in a fresh database on the server
/// <c>APITOKENS_POSTGRES</c> names, dropped afterwards. Skipped without the variable, except under <c>CI=true</c>.
/// </summary>
public sealed class PostgresAccountFunctionsTests
{
    private static int Result(JsonElement e) => e.GetProperty("metadata").GetProperty("result").GetInt32();

    [SkippableFact]
    public async Task AccountFunctions_StoreAndListTheNewFields_AndAnOlderDatabaseGainsThem()
    {
        var configured = Environment.GetEnvironmentVariable("APITOKENS_POSTGRES");
        if (string.IsNullOrWhiteSpace(configured))
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), "APITOKENS_POSTGRES is not set in CI.");
            Skip.If(true, "APITOKENS_POSTGRES is not set (for example Host=127.0.0.1;Port=5432;Username=apitokens;Password=apitokens;Database=apitokens_test).");
        }

        var admin = new NpgsqlConnectionStringBuilder(configured) { Timeout = 5, Pooling = false }.ToString();
        var name = "whmadmin_accounts_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
        var database = new NpgsqlConnectionStringBuilder(configured) { Database = name }.ToString();
        try
        {
            await using var host = await SampleHost.StartAsync(settings: ["--ApiTokens:Store=postgres", $"--ConnectionStrings:ApiTokens={database}"]);
            var root = await host.CreateTokenWithCliAsync("root", "bootstrap");
            Assert.Equal(1, Result(await host.CallAsync("createacct", "root", root, ("username", "alice"), ("domain", "alice.example.com"), ("plan", "gold"))));
            Assert.Equal(1, Result(await host.CallAsync("suspendacct", "root", root, ("user", "alice"), ("reason", "Unpaid"))));

            var list = await host.CallAsync("listaccts", "root", root, ("search", "ALICE.example.com"), ("searchtype", "domain"), ("searchmethod", "exact"));
            var alice = Assert.Single(list.GetProperty("data").GetProperty("acct").EnumerateArray());
            Assert.Equal("gold", alice.GetProperty("plan").GetString());
            Assert.Equal("Unpaid", alice.GetProperty("suspendreason").GetString());
            Assert.True(alice.GetProperty("suspendtime").GetInt64() > 0);

            // A database made by an older sample: the accounts table without the new columns.
            await host.StopAppAsync();
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ToString(),
                "ALTER TABLE whm_accounts DROP COLUMN domain, DROP COLUMN contact_email, DROP COLUMN plan, DROP COLUMN suspend_reason, DROP COLUMN suspended_at");
            await host.StartAppAsync();
            Assert.Equal(1, Result(await host.CallAsync("createacct", "root", root, ("username", "bob"), ("domain", "bob.example.com"))));
            await using (var connection = new NpgsqlConnection(database))
            {
                await connection.OpenAsync();
                await using var index = new NpgsqlCommand("SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'IX_whm_accounts_domain'", connection);
                Assert.Equal(1L, await index.ExecuteScalarAsync()); // dropping the column dropped its unique index; start made it again
            }

            await host.StopAppAsync();
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
