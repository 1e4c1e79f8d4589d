using ApiTokens.Tests.Infrastructure;

namespace ApiTokens.Tests.Management;

/// <summary>The manager's privilege checks with a host's own vocabulary: its names only, compared exactly, held by the owner.</summary>
public sealed class OwnVocabularyManagerTests : IDisposable
{
    private readonly ManagerFixture _f = new(o =>
    {
        o.Privileges.Add(new("orders.read", "Orders", "See orders."));
        o.Privileges.Add(new("Orders:Write", "Orders", "Change orders."));
    });

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Create_WithTheHostsNames_IsAccepted_StoredSortedOrdinal()
    {
        var created = await _f.CreateAsync(_f.Root, "x", "orders.read", "Orders:Write", "orders.read");
        Assert.Equal(["Orders:Write", "orders.read"], created.Token.Acls);
    }

    [Theory]
    [InlineData("orders:write")] // the host spelled it Orders:Write
    [InlineData("list-accts")]   // WHM's chart is replaced, not extended
    public async Task Create_WithANameNotInTheCatalogue_IsRefusedNamingIt(string acl)
    {
        var result = await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = "x", Acls = ["orders.read", acl] });
        Assert.Equal(ApiTokenErrorCode.UnauthorizedPrivileges, result.Error?.Code);
        Assert.Equal($"Invalid or unauthorized ACL(s) specified: {acl}. Choose only privileges that your account holds.", result.Error!.Message);
    }

    [Fact]
    public async Task Update_GrantFullAccess_ClearsTheList()
    {
        await _f.CreateAsync(_f.Root, "x", "orders.read");
        var updated = await _f.Manager.UpdateAsync(_f.Root.Id, "x", new ApiTokenUpdateRequest { GrantFullAccess = true });
        Assert.True(updated.Succeeded);
        Assert.True(updated.Value!.HasFullAccess);
        Assert.Null(updated.Value.Acls);
    }
}
