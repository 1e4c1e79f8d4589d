using ApiTokens.Tests.Infrastructure;

namespace ApiTokens.Tests.Management;

public sealed class ApiTokenManagerUpdateRevokeTests : IDisposable
{
    private readonly ManagerFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Update_WithNothingToChange_IsRejected()
    {
        await _f.CreateAsync(_f.Root, "t");
        var result = await _f.Manager.UpdateAsync(_f.Root.Id, "t", new ApiTokenUpdateRequest());
        Assert.Equal(ApiTokenErrorCode.NothingToUpdate, result.Error?.Code);
        Assert.Equal("Specify a new name, updated ACLs, or IPs.", result.Error!.Message);
    }

    [Fact]
    public async Task Update_UnknownToken_IsRejected()
    {
        var result = await _f.Manager.UpdateAsync(_f.Root.Id, "ghost", new ApiTokenUpdateRequest { NewName = "x" });
        Assert.Equal(ApiTokenErrorCode.TokenNotFound, result.Error?.Code);
        Assert.Equal("The API token “ghost” does not exist.", result.Error!.Message);
    }

    [Fact]
    public async Task Update_Rename_KeepsEverythingElse_AndTheSecretStillWorks()
    {
        var created = await _f.CreateAsync(_f.Root, "old", "list-accts");
        var result = await _f.Manager.UpdateAsync(_f.Root.Id, "old", new ApiTokenUpdateRequest { NewName = "new" });

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("new", result.Value.Name);
        Assert.Equal(["list-accts"], result.Value.Acls);
        Assert.Equal(created.Token.CreatedAt, result.Value.CreatedAt);
        Assert.Null(await _f.Store.FindByNameAsync(_f.Root.Id, "old", default));
        var found = await _f.Manager.FindByPlaintextAsync(_f.Root.Id, created.PlaintextToken);
        Assert.Equal("new", found?.Name);
    }

    [Fact]
    public async Task Update_RenameToTakenName_IsRejected()
    {
        await _f.CreateAsync(_f.Root, "a");
        await _f.CreateAsync(_f.Root, "b");
        var result = await _f.Manager.UpdateAsync(_f.Root.Id, "a", new ApiTokenUpdateRequest { NewName = "b" });
        Assert.Equal(ApiTokenErrorCode.DuplicateName, result.Error?.Code);
        Assert.NotNull(await _f.Store.FindByNameAsync(_f.Root.Id, "a", default));
    }

    [Fact]
    public async Task Update_RenameToInvalidName_IsRejected()
    {
        await _f.CreateAsync(_f.Root, "a");
        var result = await _f.Manager.UpdateAsync(_f.Root.Id, "a", new ApiTokenUpdateRequest { NewName = "no spaces" });
        Assert.Equal(ApiTokenErrorCode.InvalidName, result.Error?.Code);
    }

    [Fact]
    public async Task Update_Acls_ReplacesTheList_AndChecksTheOwner()
    {
        await _f.CreateAsync(_f.Reseller, "t", "list-accts");

        var denied = await _f.Manager.UpdateAsync(_f.Reseller.Id, "t", new ApiTokenUpdateRequest { Acls = ["kill-acct"] });
        Assert.Equal(ApiTokenErrorCode.UnauthorizedPrivileges, denied.Error?.Code);

        var empty = await _f.Manager.UpdateAsync(_f.Reseller.Id, "t", new ApiTokenUpdateRequest { Acls = [] });
        Assert.Equal(ApiTokenErrorCode.NoPrivileges, empty.Error?.Code);

        var ok = await _f.Manager.UpdateAsync(_f.Reseller.Id, "t", new ApiTokenUpdateRequest { Acls = ["create-acct", "basic-whm-functions"] });
        Assert.Equal(["basic-whm-functions", "create-acct"], ok.Value!.Acls);
    }

    [Fact]
    public async Task Update_GrantFullAccess_DropsTheList()
    {
        await _f.CreateAsync(_f.Root, "t", "list-accts");
        var ok = await _f.Manager.UpdateAsync(_f.Root.Id, "t", new ApiTokenUpdateRequest { GrantFullAccess = true });
        Assert.True(ok.Value!.HasFullAccess);
    }

    [Fact]
    public async Task Update_Expiry_MustBeFuture_AndCanBeCleared()
    {
        await _f.CreateAsync(_f.Root, "t");
        var past = await _f.Manager.UpdateAsync(_f.Root.Id, "t", new ApiTokenUpdateRequest { ExpiresAt = ManagerFixture.Start.AddMinutes(-1) });
        Assert.Equal(ApiTokenErrorCode.ExpiryNotInFuture, past.Error?.Code);

        var set = await _f.Manager.UpdateAsync(_f.Root.Id, "t", new ApiTokenUpdateRequest { ExpiresAt = ManagerFixture.Start.AddDays(2) });
        Assert.Equal(ManagerFixture.Start.AddDays(2), set.Value!.ExpiresAt);

        var cleared = await _f.Manager.UpdateAsync(_f.Root.Id, "t", new ApiTokenUpdateRequest { ClearExpiry = true });
        Assert.Null(cleared.Value!.ExpiresAt);
    }

    [Fact]
    public async Task Update_Whitelist_IsNormalised_AndEmptyClearsIt()
    {
        await _f.CreateAsync(_f.Root, "t");
        var set = await _f.Manager.UpdateAsync(_f.Root.Id, "t", new ApiTokenUpdateRequest { WhitelistIps = ["::1", "127.0.0.1/32"] });
        Assert.Equal(["127.0.0.1", "::1"], set.Value!.WhitelistIps);

        var bad = await _f.Manager.UpdateAsync(_f.Root.Id, "t", new ApiTokenUpdateRequest { WhitelistIps = ["nope"] });
        Assert.Equal(ApiTokenErrorCode.InvalidWhitelist, bad.Error?.Code);

        var cleared = await _f.Manager.UpdateAsync(_f.Root.Id, "t", new ApiTokenUpdateRequest { WhitelistIps = [] });
        Assert.Null(cleared.Value!.WhitelistIps);
    }

    [Fact]
    public async Task Update_LostUpdate_IsAConcurrencyFailure_NotASilentOverwrite()
    {
        var created = await _f.CreateAsync(_f.Root, "t");
        var stale = created.Token;
        var fresh = await _f.Manager.UpdateAsync(_f.Root.Id, "t", new ApiTokenUpdateRequest { Acls = ["list-accts"] });
        Assert.True(fresh.Succeeded);

        var overwrite = await _f.Store.UpdateAsync(stale with { Name = "stale", ConcurrencyStamp = "x" }, stale.ConcurrencyStamp, default);
        Assert.Equal(ApiTokenStoreResult.ConcurrencyFailure, overwrite);
        Assert.Equal(["list-accts"], (await _f.Store.FindByNameAsync(_f.Root.Id, "t", default))!.Acls);
    }

    [Fact]
    public async Task Update_IsAudited_WithOldAndNewName()
    {
        await _f.CreateAsync(_f.Root, "old");
        await _f.Manager.UpdateAsync(_f.Root.Id, "old", new ApiTokenUpdateRequest { NewName = "new" });
        var e = _f.Audit.Events[^1];
        Assert.Equal(ApiTokenAuditAction.Updated, e.Action);
        Assert.Equal(("old", "new"), (e.TokenName, e.NewTokenName));
    }

    [Fact]
    public async Task Revoke_RemovesTheToken_AndIgnoresUnknownNames()
    {
        var created = await _f.CreateAsync(_f.Root, "a");
        await _f.CreateAsync(_f.Root, "b");

        var result = await _f.Manager.RevokeAsync(_f.Root.Id, ["a", "ghost"]);

        Assert.Equal(["a"], result.Value);
        Assert.Null(await _f.Manager.FindByPlaintextAsync(_f.Root.Id, created.PlaintextToken));
        Assert.Equal(["b"], (await _f.Manager.ListAsync(_f.Root.Id)).Items.Select(t => t.Name));
        Assert.Contains(_f.Audit.Events, e => e is { Action: ApiTokenAuditAction.Revoked, TokenName: "a" });
        Assert.DoesNotContain(_f.Audit.Events, e => e.TokenName == "ghost");
    }

    [Fact]
    public async Task Revoke_WithNoNames_IsRejected()
    {
        var result = await _f.Manager.RevokeAsync(_f.Root.Id, Array.Empty<string>());
        Assert.Equal(ApiTokenErrorCode.NoTokenNames, result.Error?.Code);
    }

    [Fact]
    public async Task Revoke_OnlyTouchesTheCallersTokens()
    {
        await _f.CreateAsync(_f.Reseller, "shared", "list-accts");
        await _f.Manager.RevokeAsync(_f.Root.Id, ["shared"]);
        Assert.NotNull(await _f.Store.FindByNameAsync(_f.Reseller.Id, "shared", default));
    }

    [Fact]
    public async Task RevokeAll_RemovesOnlyThatAccountsTokens()
    {
        await _f.CreateAsync(_f.Root, "a");
        await _f.CreateAsync(_f.Root, "b");
        await _f.CreateAsync(_f.Reseller, "c", "list-accts");

        var result = await _f.Manager.RevokeAllAsync(_f.Root.Id);

        Assert.Equal(2, result.Value);
        Assert.Equal(0, (await _f.Manager.ListAsync(_f.Root.Id)).TotalCount);
        Assert.Equal(1, (await _f.Manager.ListAsync(_f.Reseller.Id)).TotalCount);
        Assert.Contains(_f.Audit.Events, e => e.Action == ApiTokenAuditAction.RevokedAll);
    }

    [Fact]
    public async Task AccountDeleted_RevokesEverything_AndANewAccountWithTheSameNameGetsNothing()
    {
        var created = await _f.CreateAsync(_f.Reseller, "t", "list-accts");
        _f.Accounts.Remove(_f.Reseller.Id);
        await _f.Manager.AccountDeletedAsync(_f.Reseller.Id);

        var reborn = _f.Accounts.Add("reseller", "list-accts");
        Assert.Equal(0, (await _f.Manager.ListAsync(reborn.Id)).TotalCount);
        Assert.Null(await _f.Manager.FindByPlaintextAsync(reborn.Id, created.PlaintextToken));
        Assert.Equal(0, (await _f.Manager.ListAsync(_f.Reseller.Id)).TotalCount);
    }

    [Fact]
    public async Task List_FiltersCaseInsensitively_AndPages()
    {
        foreach (var name in new[] { "Deploy-a", "deploy-b", "backup", "DEPLOY-c", "misc" })
        {
            await _f.CreateAsync(_f.Root, name);
        }

        var filtered = await _f.Manager.ListAsync(_f.Root.Id, new ApiTokenQuery { NameContains = "dePLoy" });
        Assert.Equal(3, filtered.TotalCount);
        Assert.Equal(["DEPLOY-c", "Deploy-a", "deploy-b"], filtered.Items.Select(t => t.Name));

        var page = await _f.Manager.ListAsync(_f.Root.Id, new ApiTokenQuery { Skip = 1, Take = 2 });
        Assert.Equal(5, page.TotalCount);
        Assert.Equal(2, page.Items.Count);
    }

    [Fact]
    public async Task FindByPlaintext_RejectsWrongSecretAndMalformedValues()
    {
        var created = await _f.CreateAsync(_f.Root, "t");
        var wrong = created.PlaintextToken[..8] + new string('Z', 24);
        Assert.Null(await _f.Manager.FindByPlaintextAsync(_f.Root.Id, wrong));
        Assert.Null(await _f.Manager.FindByPlaintextAsync(_f.Root.Id, created.PlaintextToken.ToLowerInvariant()));
        Assert.Null(await _f.Manager.FindByPlaintextAsync(_f.Root.Id, "short"));
        Assert.Null(await _f.Manager.FindByPlaintextAsync(_f.Reseller.Id, created.PlaintextToken));
        Assert.Equal("t", (await _f.Manager.FindByPlaintextAsync(_f.Root.Id, created.PlaintextToken))?.Name);
    }

    [Fact]
    public void Token_IsExpired_OnlyAfterItsExpiryTime()
    {
        var token = new ApiToken
        {
            Id = Guid.NewGuid(), AccountId = "a", Name = "n", Selector = "S", SecretHash = "h", ConcurrencyStamp = "c",
            CreatedAt = ManagerFixture.Start, ExpiresAt = ManagerFixture.Start.AddHours(1),
        };
        Assert.False(token.IsExpiredAt(ManagerFixture.Start.AddMinutes(59)));
        Assert.False(token.IsExpiredAt(ManagerFixture.Start.AddHours(1)));
        Assert.True(token.IsExpiredAt(ManagerFixture.Start.AddHours(1).AddSeconds(1)));
    }
}
