using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database with a random name on the server that <c>APITOKENS_POSTGRES</c> points at,
/// dropped afterwards. Without a server the tests are skipped, except under <c>CI=true</c>, where they fail.
/// </summary>
public sealed class PostgresHarness : EfHarness
{
    public const string Variable = "APITOKENS_POSTGRES";

    private string? _unavailable;
    private string? _adminConnectionString;

    public string ConnectionString { get; private set; } = string.Empty;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public override void EnsureAvailable()
    {
        if (_unavailable is null)
        {
            return;
        }

        if (IsCi)
        {
            Assert.Fail($"PostgreSQL is required under CI=true: {_unavailable}");
        }

        Skip.If(true, $"PostgreSQL tests skipped: {_unavailable}");
    }

    public override async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(configured))
        {
            _unavailable = $"set {Variable} (for example Host=127.0.0.1;Port=5432;Username=apitokens;Password=apitokens;Database=apitokens_test).";
            return;
        }

        var database = "apitokens_t_" + Guid.NewGuid().ToString("N")[..16];
        try
        {
            _adminConnectionString = new NpgsqlConnectionStringBuilder(configured) { Timeout = 5, Pooling = false }.ToString();
            await using (var admin = new NpgsqlConnection(_adminConnectionString))
            {
                await admin.OpenAsync();
                try
                {
                    // A linguistic (ICU en-US) default collation sorts "a" before "B" and ignores "_" and "-",
                    // unlike ordinal order: the list tests then prove that the store sorts ordinally anyway.
                    await using var create = new NpgsqlCommand(
                        $"CREATE DATABASE \"{database}\" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'", admin);
                    await create.ExecuteNonQueryAsync();
                }
                catch (PostgresException)
                {
                    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin);
                    await create.ExecuteNonQueryAsync();
                }
            }
        }
        catch (NpgsqlException ex)
        {
            _unavailable = $"cannot reach the server in {Variable}: {ex.Message}";
            return;
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(configured) { Database = database }.ToString();
        await using var context = CreateContext();
        Assert.True(await context.Database.EnsureApiTokensCreatedAsync());
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_adminConnectionString is null || ConnectionString.Length == 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
        await using var admin = new NpgsqlConnection(_adminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    protected override void Configure(DbContextOptionsBuilder options) => options.UseNpgsql(ConnectionString);
}
