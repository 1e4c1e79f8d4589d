using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>An unreachable database makes the manager answer StoreUnavailable, never throw.</summary>
public sealed class StoreFaultTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "apitokens-tests", Guid.NewGuid().ToString("N"));

    public StoreFaultTests() => Directory.CreateDirectory(_directory);

    public static TheoryData<string> Faults => ["postgres-closed-port", "sqlite-missing-directory", "sqlite-not-a-database", "sqlite-no-table"];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task UnreachableStore_CreateUpdateRevoke_ReturnStoreUnavailable(string fault)
    {
        var owner = ManagerHost.NewRoot();
        await using var host = new ManagerHost(b => b.AddEntityFrameworkStore(o => Configure(fault, o)), owner);
        var manager = host.Manager;

        var create = await manager.CreateAsync(owner.Id, new ApiTokenCreateRequest { Name = "deploy", Acls = ["list-accts"] });
        var update = await manager.UpdateAsync(owner.Id, "deploy", new ApiTokenUpdateRequest { NewName = "deploy2" });
        var revoke = await manager.RevokeAsync(owner.Id, "deploy");
        var revokeMany = await manager.RevokeAsync(owner.Id, ["a", "b"]);
        var revokeAll = await manager.RevokeAllAsync(owner.Id);

        Assert.Equal(ApiTokenErrorCode.StoreUnavailable, create.Error?.Code);
        Assert.Equal(ApiTokenErrorCode.StoreUnavailable, update.Error?.Code);
        Assert.Equal(ApiTokenErrorCode.StoreUnavailable, revoke.Error?.Code);
        Assert.Equal(ApiTokenErrorCode.StoreUnavailable, revokeMany.Error?.Code);
        Assert.Equal(ApiTokenErrorCode.StoreUnavailable, revokeAll.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task UnreachableAuditStore_QueryAudit_ThrowsStoreUnavailable_AndAChangeStillSucceedsWithoutItsEvent(string fault)
    {
        var owner = ManagerHost.NewRoot();
        await using var host = new ManagerHost(b => b.AddInMemoryStore().AddEntityFrameworkAuditStore<ApiTokensDbContext>().Services.AddDbContext<ApiTokensDbContext>(o => Configure(fault, o)), owner);

        var create = await host.Manager.CreateAsync(owner.Id, new ApiTokenCreateRequest { Name = "deploy" });
        var ex = await Assert.ThrowsAsync<ApiTokenStoreUnavailableException>(() => host.Manager.QueryAuditAsync(new ApiTokenAuditQuery { AccountId = owner.Id }));

        Assert.True(create.Succeeded, create.Error?.Message);
        Assert.Equal(ApiTokenErrors.StoreUnavailable.Message, ex.Message);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private void Configure(string fault, DbContextOptionsBuilder options)
    {
        switch (fault)
        {
            case "postgres-closed-port":
                options.UseNpgsql("Host=127.0.0.1;Port=1;Username=apitokens;Password=apitokens;Database=apitokens_test;Timeout=2;Command Timeout=2;Pooling=false");
                break;
            case "sqlite-missing-directory":
                options.UseSqlite($"Data Source={Path.Combine(_directory, "missing", "tokens.db")}");
                break;
            case "sqlite-not-a-database":
                var garbage = Path.Combine(_directory, "garbage.db");
                File.WriteAllBytes(garbage, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);
                options.UseSqlite($"Data Source={garbage};Pooling=false");
                break;
            case "sqlite-no-table":
                options.UseSqlite($"Data Source={Path.Combine(_directory, "empty.db")};Pooling=false");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }
}
