namespace ApiTokens.Testing;

/// <summary>End to end through the manager over the store: no plaintext in storage, restarts, reported conflicts.</summary>
public abstract partial class ApiTokenStoreSpecificationTests
{
    [SkippableFact]
    public async Task StoredRows_NeverContainThePlaintextToken()
    {
        var owner = ManagerHost.NewRoot();
        await using var host = new ManagerHost(AddStore, owner);
        var created = new List<CreatedApiToken>();
        foreach (var (name, acls) in new[] { ("plain", (string[]?)null), ("limited", ["list-accts", "create-acct"]) })
        {
            var result = await host.Manager.CreateAsync(
                owner.Id, new ApiTokenCreateRequest { Name = name, Acls = acls, WhitelistIps = ["2001:db8::/48"] }, cancellationToken: Ct);
            Assert.True(result.Succeeded, result.Error?.Message);
            created.Add(result.Value);
        }

        var rows = await ReadStoredRecordsAsync(owner.Id);

        Assert.Equal(2, rows.Count);
        foreach (var token in created)
        {
            var secret = token.PlaintextToken[token.Token.Selector.Length..];
            Assert.All(rows, row => Assert.DoesNotContain(token.PlaintextToken, row, StringComparison.Ordinal));
            Assert.All(rows, row => Assert.DoesNotContain(secret, row, StringComparison.Ordinal));
            Assert.Contains(rows, row => row.Contains("$argon2id$", StringComparison.Ordinal));
        }
    }

    [SkippableFact]
    public async Task ThroughTheManager_ATokenSurvivesARestart_AndARevokedOneStaysRevoked()
    {
        var owner = ManagerHost.NewRoot();
        string kept, revoked;
        await using (var host = new ManagerHost(AddStore, owner))
        {
            kept = (await CreateAsync(host, owner, "kept")).PlaintextToken;
            revoked = (await CreateAsync(host, owner, "revoked")).PlaintextToken;
            Assert.True((await host.Manager.RevokeAsync(owner.Id, "revoked", cancellationToken: Ct)).Value);
        }

        await using (var restarted = new ManagerHost(AddStore, owner))
        {
            var found = await restarted.Manager.FindByPlaintextAsync(owner.Id, kept, Ct);
            Assert.Equal("kept", found?.Name);
            Assert.Null(await restarted.Manager.FindByPlaintextAsync(owner.Id, revoked, Ct));
            Assert.Null(await restarted.Manager.FindByPlaintextAsync(owner.Id, kept[..^1] + (kept[^1] == 'A' ? 'B' : 'A'), Ct));
            Assert.Equal(["kept"], (await restarted.Manager.ListAsync(owner.Id, cancellationToken: Ct)).Items.Select(t => t.Name));
        }
    }

    [SkippableFact]
    public async Task ThroughTheManager_DuplicateName_LostUpdateAndRevokeAll_AreReported()
    {
        var owner = ManagerHost.NewRoot();
        await using var host = new ManagerHost(AddStore, owner);
        await CreateAsync(host, owner, "ci");
        await CreateAsync(host, owner, "CI");

        var duplicate = await host.Manager.CreateAsync(owner.Id, new ApiTokenCreateRequest { Name = "ci" }, cancellationToken: Ct);
        Assert.Equal(ApiTokenErrorCode.DuplicateName, duplicate.Error?.Code);
        var rename = await host.Manager.UpdateAsync(owner.Id, "CI", new ApiTokenUpdateRequest { NewName = "ci" }, cancellationToken: Ct);
        Assert.Equal(ApiTokenErrorCode.DuplicateName, rename.Error?.Code);

        var all = await host.Manager.RevokeAllAsync(owner.Id, cancellationToken: Ct);
        Assert.Equal(2, all.Value);
        Assert.Equal(0, (await host.Manager.ListAsync(owner.Id, cancellationToken: Ct)).TotalCount);
    }
}
