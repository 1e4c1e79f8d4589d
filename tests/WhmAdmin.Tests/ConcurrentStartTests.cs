using Microsoft.Data.Sqlite;

namespace WhmAdmin.Tests;

/// <summary>Several instances of the sample starting at once on a brand-new SQLite file.</summary>
public sealed class ConcurrentStartTests
{
    [Fact]
    public async Task TwoInstances_InitializingANewSqliteFileAtOnce_CreateAndSeedItOnce_WithoutErrors()
    {
        // A race, so several rounds on fresh files; without the initialization lock most rounds fail.
        for (var round = 0; round < 5; round++)
        {
            await using var host = new SampleHost();
            await using var first = host.BuildInstance();
            await using var second = host.BuildInstance();

            await Task.WhenAll(
                Task.Run(() => WhmAdminApp.InitializeDatabaseAsync(first.Services)),
                Task.Run(() => WhmAdminApp.InitializeDatabaseAsync(second.Services)));

            await using var connection = new SqliteConnection($"Data Source={host.DatabaseFile};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT user_name FROM {WhmAdminDbContext.AccountsTable} ORDER BY user_name";
            var users = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    users.Add(reader.GetString(0));
                }
            }

            Assert.Equal(["reseller", "root"], users);
            Assert.DoesNotContain(host.Log.Lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        }
    }
}
