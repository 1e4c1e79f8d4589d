using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>SQLite on a real file in a fresh temporary directory, deleted afterwards.</summary>
public sealed class SqliteHarness : EfHarness
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "apitokens-tests", Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(_directory, "tokens.db");

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = DatabasePath, DefaultTimeout = 30 }.ToString();

    public override async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        await using var context = CreateContext();
        Assert.True(await context.Database.EnsureApiTokensCreatedAsync());
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    protected override void Configure(DbContextOptionsBuilder options) => options.UseSqlite(ConnectionString);
}
