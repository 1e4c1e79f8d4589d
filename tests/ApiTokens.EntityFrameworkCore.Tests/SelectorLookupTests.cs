using System.Data.Common;
using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>
/// The lifecycle lookups on the database itself: the current selector wins over another token's previous one (a state only a race
/// past the store's check could leave), and on SQLite every lifecycle query and statement is answered from an index.
/// </summary>
public sealed class SelectorLookupTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    public static TheoryData<string> Databases => ["sqlite", "postgres"];

    [SkippableTheory]
    [MemberData(nameof(Databases))]
    public Task FindBySelector_WhenAnotherTokensPreviousSelectorIsTheSame_TheCurrentSelectorWins(string database) => WithDatabaseAsync(database, async harness =>
    {
        var account = TestTokens.NewAccountId();
        var current = TestTokens.New(account, "current");
        var rotated = TestTokens.New(account, "rotated");
        Assert.Equal(ApiTokenStoreResult.Success, await harness.CreateStore().CreateManyAsync([current, rotated], Ct));
        await using (var context = harness.CreateContext())
        {
            // Past the store's check, as two writers racing could leave it: no index spans the two columns.
            var updated = await context.ApiTokens.Where(e => e.Id == rotated.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.PreviousSelector, current.Selector).SetProperty(e => e.PreviousSecretHash, rotated.SecretHash));
            Assert.Equal(1, updated);
        }

        Assert.Equal(current.Id, (await harness.CreateStore().FindBySelectorAsync(account, current.Selector, Ct))?.Id);
        Assert.Equal(
            new[] { current.Id, rotated.Id }.Order(),
            (await harness.CreateStore().FindAllBySelectorAsync(current.Selector, Ct)).Select(t => t.Id).Order());
    });

    [Fact]
    public async Task LifecycleQueries_OnSqlite_AreAnsweredFromAnIndex_NeverAScanOfTheTable()
    {
        var harness = new SqliteHarness();
        await harness.InitializeAsync();
        try
        {
            var commands = new CommandCapture();
            var options = new DbContextOptionsBuilder<ApiTokensDbContext>().UseSqlite(harness.ConnectionString).AddInterceptors(commands).Options;
            await using var context = new ApiTokensDbContext(options);
            var store = new EntityFrameworkApiTokenStore<ApiTokensDbContext>(context);
            var audit = new EntityFrameworkApiTokenAuditStore<ApiTokensDbContext>(context);
            var token = TestTokens.New(TestTokens.NewAccountId(), "t") with { ExpiresAt = TestTokens.Created.AddDays(1) };
            Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(token, Ct));
            commands.Clear();

            _ = await store.FindBySelectorAsync(token.AccountId, token.Selector, Ct);
            _ = await store.FindAllBySelectorAsync(token.Selector, Ct);
            _ = await store.ListExpiringAsync(TestTokens.Created, TestTokens.Created.AddDays(7), 100, Ct);
            _ = await store.TryMarkExpiryWarnedAsync(token.AccountId, token.Id, token.ExpiresAt!.Value, Ct);
            _ = await audit.QueryAsync(new ApiTokenAuditQuery { AccountId = token.AccountId, Since = TestTokens.Created }, Ct);
            _ = await audit.QueryAsync(new ApiTokenAuditQuery { Since = TestTokens.Created, Until = TestTokens.Created.AddDays(1) }, Ct);
            _ = await audit.DeleteOlderThanAsync(TestTokens.Created, Ct);

            Assert.True(commands.Captured.Count >= 7, string.Join("\n", commands.Captured.Select(c => c.Sql)));
            await using var connection = new SqliteConnection(harness.ConnectionString);
            await connection.OpenAsync();
            foreach (var (sql, parameters) in commands.Captured)
            {
                await using var explain = connection.CreateCommand();
                explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
                foreach (var (name, value) in parameters)
                {
                    explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
                }

                var plan = new List<string>();
                await using (var reader = await explain.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        plan.Add(reader.GetString(3));
                    }
                }

                var usesAnIndex = plan.Any(step => step.Contains("USING", StringComparison.Ordinal) && step.Contains("INDEX", StringComparison.Ordinal));
                var scans = plan.Any(step => step.StartsWith("SCAN", StringComparison.Ordinal));
                Assert.True(usesAnIndex && !scans, $"{sql}\n=> {string.Join(" | ", plan)}");
            }
        }
        finally
        {
            await harness.DisposeAsync();
        }
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

    /// <summary>Every command the context sends: its text and parameter values.</summary>
    private sealed class CommandCapture : DbCommandInterceptor
    {
        private readonly List<(string Sql, (string Name, object? Value)[] Parameters)> _captured = [];

        public IReadOnlyList<(string Sql, (string Name, object? Value)[] Parameters)> Captured => _captured;

        public void Clear() => _captured.Clear();

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Capture(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Capture(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Capture(DbCommand command)
        {
            if (!command.CommandText.StartsWith("PRAGMA", StringComparison.Ordinal))
            {
                _captured.Add((command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToArray()));
            }
        }
    }
}
