using ApiTokens.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ApiTokens.Redis.Tests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database with the token table, on the server <c>APITOKENS_POSTGRES</c> points at, dropped
/// afterwards. Without the variable the test skips, except under <c>CI=true</c>, where it fails.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _admin;

    private PostgresDatabase(string admin, string connectionString)
    {
        _admin = admin;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var configured = Environment.GetEnvironmentVariable("APITOKENS_POSTGRES");
        RedisEnvironment.Require(
            !string.IsNullOrWhiteSpace(configured),
            "APITOKENS_POSTGRES is not set (for example Host=127.0.0.1;Port=5432;Username=apitokens;Password=apitokens;Database=apitokens_test; .ci/run sets it).");
        var admin = new NpgsqlConnectionStringBuilder(configured) { Timeout = 5, Pooling = false }.ToString();
        var name = "apitokens_redis_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var database = new PostgresDatabase(admin, new NpgsqlConnectionStringBuilder(configured) { Database = name }.ToString());
        var options = new DbContextOptionsBuilder<ApiTokensDbContext>().UseNpgsql(database.ConnectionString).Options;
        await using var context = new ApiTokensDbContext(options);
        await context.Database.EnsureApiTokensCreatedAsync();
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
