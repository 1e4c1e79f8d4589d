using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>
/// What the EF Core audit store does beyond the shared specification: over-long text is cut to its column (never refused), an
/// append never saves another pending change of a shared context, and through the manager every change lands in the table.
/// </summary>
public sealed class AuditStoreTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    public static TheoryData<string> Databases => ["sqlite", "postgres"];

    [SkippableTheory]
    [MemberData(nameof(Databases))]
    public Task Append_OverlongText_IsCutToItsColumn_NeverInsideASurrogatePair_AndNeverRefused(string database) => WithDatabaseAsync(database, async harness =>
    {
        var account = TestTokens.NewAccountId();
        var actor = new string('a', ApiTokensModelNames.AuditUserNameMaxLength - 1) + "\U0001F600" + "tail";
        var fields = Enumerable.Range(0, 40).Select(i => $"field_{i:D3}").ToArray(); // 9 characters each, 399 joined
        var auditEvent = new ApiTokenAuditEvent(
            ApiTokenAuditAction.Updated, account, new string('u', 300), new string('n', 60), new string('m', 60),
            TestTokens.Created, actor, "2001:db8:" + new string('f', 100))
        {
            ChangedFields = fields,
        };

        await harness.CreateAuditStore().AppendAsync(auditEvent, Ct);

        var stored = Assert.Single((await harness.CreateAuditStore().QueryAsync(new ApiTokenAuditQuery { AccountId = account }, Ct)).Events);
        Assert.Equal(new string('a', ApiTokensModelNames.AuditUserNameMaxLength - 1), stored.Actor);
        Assert.Equal(new string('u', ApiTokensModelNames.AuditUserNameMaxLength), stored.UserName);
        Assert.Equal(new string('n', TokenNames.MaxLength), stored.TokenName);
        Assert.Equal(new string('m', TokenNames.MaxLength), stored.NewTokenName);
        Assert.Equal(("2001:db8:" + new string('f', 100))[..ApiTokensModelNames.AuditRemoteAddressMaxLength], stored.RemoteAddress);
        Assert.Equal(fields[..25], stored.ChangedFields); // whole names only: 25 × 9 + 24 commas = 249 ≤ 256
    });

    [SkippableTheory]
    [MemberData(nameof(Databases))]
    public Task ThroughTheManager_EveryChange_IsInTheTable_NewestFirst_WithWhatChanged(string database) => WithDatabaseAsync(database, async harness =>
    {
        var owner = ManagerHost.NewRoot();
        await using var host = new ManagerHost(b => harness.AddStore(b.AddEntityFrameworkAuditStore<ApiTokensDbContext>()), owner);
        var manager = host.Manager;
        Assert.True(manager.HasAuditTrail);
        var actor = new ApiTokenActor(owner.UserName, "192.0.2.44");

        Assert.True((await manager.CreateAsync(owner.Id, new ApiTokenCreateRequest { Name = "deploy" }, actor)).Succeeded);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await manager.UpdateAsync(owner.Id, "deploy", new ApiTokenUpdateRequest { NewName = "deploy-2", Acls = ["list-accts"] }, actor)).Succeeded);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await manager.RotateAsync(owner.Id, "deploy-2", TimeSpan.FromHours(1), actor)).Succeeded);
        Assert.True((await manager.RevokeAsync(owner.Id, "deploy-2", actor)).Succeeded); // the same second as the rotation

        var page = await manager.QueryAuditAsync(new ApiTokenAuditQuery { AccountId = owner.Id });

        Assert.Equal(
            [ApiTokenAuditAction.Revoked, ApiTokenAuditAction.Rotated, ApiTokenAuditAction.Updated, ApiTokenAuditAction.Created],
            page.Events.Select(e => e.Action));
        Assert.Equal(4, page.TotalCount);
        Assert.All(page.Events, e => Assert.Equal(("192.0.2.44", owner.UserName), (e.RemoteAddress, e.Actor)));
        var updated = page.Events[2];
        Assert.Equal(("deploy", "deploy-2"), (updated.TokenName, updated.NewTokenName));
        Assert.Equal(["name", "acls"], updated.ChangedFields);
        Assert.Equal(ManagerHost.Start.AddSeconds(2).AddHours(1), page.Events[1].ExpiresAt);
        Assert.Empty((await manager.QueryAuditAsync(new ApiTokenAuditQuery { AccountId = ManagerHost.NewRoot().Id })).Events);
    });

    [Fact]
    public async Task Append_WithAnotherChangePendingInASharedContext_SavesOnlyTheEvent()
    {
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "apitokens-tests", Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var options = new DbContextOptionsBuilder<AppDbContext>().UseSqlite($"Data Source={Path.Combine(directory, "app.db")}").Options;
            await using var context = new AppDbContext(options);
            Assert.True(await context.Database.EnsureCreatedAsync()); // widgets and both token tables
            var pending = context.Widgets.Add(new Widget { Label = "not saved yet" });
            var account = TestTokens.NewAccountId();

            await new EntityFrameworkApiTokenAuditStore<AppDbContext>(context).AppendAsync(
                new ApiTokenAuditEvent(ApiTokenAuditAction.Created, account, "root", "t", null, TestTokens.Created, "root", null), Ct);

            Assert.Equal(EntityState.Added, pending.State);
            await using var other = new AppDbContext(options);
            Assert.Equal(0, await other.Widgets.CountAsync());
            var page = await new EntityFrameworkApiTokenAuditStore<AppDbContext>(other).QueryAsync(new ApiTokenAuditQuery { AccountId = account }, Ct);
            Assert.Equal("t", Assert.Single(page.Events).TokenName);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Query_ARowWrittenWithAnActionThisVersionDoesNotKnow_IsLeftOut_TheOthersAreShown()
    {
        var harness = new SqliteHarness();
        await harness.InitializeAsync();
        try
        {
            var account = TestTokens.NewAccountId();
            await harness.CreateAuditStore().AppendAsync(
                new ApiTokenAuditEvent(ApiTokenAuditAction.Revoked, account, "root", "t", null, TestTokens.Created, "root", null), Ct);
            await using (var context = harness.CreateContext())
            {
                var time = TestTokens.Created.AddSeconds(1).ToUnixTimeMilliseconds();
                await context.Database.ExecuteSqlAsync(
                    $"INSERT INTO api_token_audit (account_id, action, time) VALUES ({account}, {"Teleported"}, {time}), ({account}, {"7"}, {time})");
            }

            var page = await harness.CreateAuditStore().QueryAsync(new ApiTokenAuditQuery { AccountId = account }, Ct);

            Assert.Equal([ApiTokenAuditAction.Revoked], page.Events.Select(e => e.Action));
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
}
