using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>Last-used tracking over the EF Core store: over HTTP, on two nodes sharing one database, and on a table made before it.</summary>
public sealed class UsageTests
{
    private static readonly long Start = ApiTokensTestHostBuilder.DefaultStart.ToUnixTimeSeconds();

    public static TheoryData<string> Databases => ["sqlite", "postgres"];

    [SkippableTheory]
    [MemberData(nameof(Databases))]
    public Task ARequest_AfterTheInterval_IsListedWithItsTimeAndAddress(string database) => WithDatabaseAsync(database, async harness =>
    {
        await using var host = await UsageTestHost.Builder().UseStore(harness.AddStore).StartAsync();
        var root = host.Accounts.Add("root", "all");
        var token = (await host.CreateTokenAsync(root, "main")).PlaintextToken;
        _ = await host.CreateTokenAsync(root, "idle");
        host.Time.Advance(TimeSpan.FromSeconds(3));
        _ = await host.ListTokensAsync("root", token);

        await host.FlushAsync();

        var entries = await host.ListTokensAsync("root", token);
        Assert.Equal(Start + 3, entries["main"].LastUsed());
        Assert.Equal("127.0.0.1", entries["main"].LastUsedIp());
        Assert.Null(entries["idle"].LastUsed());
        Assert.Null(entries["idle"].LastUsedIp());
    });

    [SkippableTheory]
    [MemberData(nameof(Databases))]
    public Task TwoNodes_OnOneDatabase_TheLatestTimeWins_WhicheverWritesLast(string database) => WithDatabaseAsync(database, async harness =>
    {
        var accounts = new InMemoryAccountProvider();
        var root = accounts.Add("root", "all");
        ApiTokensTestHostBuilder Node() => UsageTestHost.Builder()
            .UseStore(harness.AddStore)
            .UseAccounts(b => b.Services.AddSingleton(accounts).AddSingleton<IApiTokenAccountProvider>(accounts));
        await using var early = await Node().StartAsync();
        await using var late = await Node().StartAsync();
        var token = (await early.CreateTokenAsync(root, "main")).PlaintextToken;

        late.Time.Advance(TimeSpan.FromSeconds(40));
        _ = await late.ListTokensAsync("root", token);
        early.Time.Advance(TimeSpan.FromSeconds(20));
        _ = await early.ListTokensAsync("root", token);

        await late.FlushAsync();
        await early.FlushAsync();

        Assert.Equal(Start + 40, (await early.ListTokensAsync("root", token))["main"].LastUsed());
        Assert.Equal(Start + 40, (await late.ListTokensAsync("root", token))["main"].LastUsed());
    });

    [SkippableTheory]
    [MemberData(nameof(Databases))]
    public Task ATableMadeBeforeUsageTracking_WorksAfterTheReadmeAlterTable(string database) => WithDatabaseAsync(database, async harness =>
    {
        await using (var context = harness.CreateContext())
        {
            // The table as it was before: without the two columns.
            await context.Database.ExecuteSqlRawAsync("ALTER TABLE api_tokens DROP COLUMN last_used_at");
            await context.Database.ExecuteSqlRawAsync("ALTER TABLE api_tokens DROP COLUMN last_used_ip");
            Assert.Null(await Record.ExceptionAsync(async () =>
            {
                // The upgrade the package README gives, as written there.
                await context.Database.ExecuteSqlRawAsync("ALTER TABLE api_tokens ADD COLUMN last_used_at bigint NULL");
                await context.Database.ExecuteSqlRawAsync("ALTER TABLE api_tokens ADD COLUMN last_used_ip varchar(64) NULL");
            }));
        }

        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "old");
        var store = harness.CreateStore();
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(token, CancellationToken.None));
        var used = TestTokens.Created.AddHours(1);
        await harness.CreateStore().RecordUsageAsync([new ApiTokenUsage(account, token.Id, used, "192.0.2.1")], CancellationToken.None);
        var stored = await harness.CreateStore().FindByNameAsync(account, "old", CancellationToken.None);
        Assert.Equal(used, stored!.LastUsedAt);
        Assert.Equal("192.0.2.1", stored.LastUsedIp);
    });

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
