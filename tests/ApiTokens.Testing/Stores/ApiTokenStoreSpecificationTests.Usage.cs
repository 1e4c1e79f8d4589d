namespace ApiTokens.Testing;

/// <summary>Recording last use (<see cref="IApiTokenStore.RecordUsageAsync"/>): latest wins, no stamp change, no resurrection.</summary>
public abstract partial class ApiTokenStoreSpecificationTests
{
    private static readonly DateTimeOffset Used = TestTokens.Created.AddMinutes(5);

    [SkippableFact]
    public async Task RecordUsage_SetsLastUsed_OnEveryTokenOfTheBatch_AndANewTokenHasNone()
    {
        var account = TestTokens.NewAccountId();
        var first = TestTokens.New(account, "first");
        var second = TestTokens.New(account, "second");
        var idle = TestTokens.New(account, "idle");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateManyAsync([first, second, idle], Ct));

        await CreateStore().RecordUsageAsync(
            [new ApiTokenUsage(account, first.Id, Used, "192.0.2.7"), new ApiTokenUsage(account, second.Id, Used.AddSeconds(1), "2001:db8::7")], Ct);

        var reader = CreateStore();
        var storedFirst = await reader.FindByNameAsync(account, "first", Ct);
        Assert.Equal(Used, storedFirst!.LastUsedAt);
        Assert.Equal("192.0.2.7", storedFirst.LastUsedIp);
        var storedSecond = await reader.FindBySelectorAsync(account, second.Selector, Ct);
        Assert.Equal(Used.AddSeconds(1), storedSecond!.LastUsedAt);
        Assert.Equal("2001:db8::7", storedSecond.LastUsedIp);
        var storedIdle = (await reader.ListAsync(account, ApiTokenQuery.All, Ct)).Items.Single(t => t.Name == "idle");
        Assert.Null(storedIdle.LastUsedAt);
        Assert.Null(storedIdle.LastUsedIp);
    }

    [SkippableFact]
    public async Task RecordUsage_AnOlderTime_ChangesNothing_TheLatestWins()
    {
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "shared");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateAsync(token, Ct));

        await CreateStore().RecordUsageAsync([new ApiTokenUsage(account, token.Id, Used, "192.0.2.2")], Ct);
        await CreateStore().RecordUsageAsync([new ApiTokenUsage(account, token.Id, Used.AddSeconds(-30), "192.0.2.1")], Ct);
        await CreateStore().RecordUsageAsync([new ApiTokenUsage(account, token.Id, Used, "192.0.2.3")], Ct);

        var stored = await CreateStore().FindByNameAsync(account, "shared", Ct);
        Assert.Equal(Used, stored!.LastUsedAt);
        Assert.Equal("192.0.2.2", stored.LastUsedIp);
    }

    [SkippableFact]
    public async Task RecordUsage_KeepsTheStamp_SoAnUpdateReadBeforeItStillSucceeds_AndTheUpdateKeepsTheUse()
    {
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "busy");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateAsync(token, Ct));

        await CreateStore().RecordUsageAsync([new ApiTokenUsage(account, token.Id, Used, "192.0.2.9")], Ct);
        var afterUse = await CreateStore().FindByNameAsync(account, "busy", Ct);
        Assert.Equal(token.ConcurrencyStamp, afterUse!.ConcurrencyStamp);

        var changed = token with { Acls = ["list-accts"], ConcurrencyStamp = TestTokens.NewStamp() };
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(changed, token.ConcurrencyStamp, Ct));

        var stored = await CreateStore().FindByNameAsync(account, "busy", Ct);
        Assert.Equal(["list-accts"], stored!.Acls);
        Assert.Equal(Used, stored.LastUsedAt);
        Assert.Equal("192.0.2.9", stored.LastUsedIp);
    }

    [SkippableFact]
    public async Task RecordUsage_ForADeletedToken_OrAnotherAccount_StoresNothing()
    {
        var account = TestTokens.NewAccountId();
        var revoked = TestTokens.New(account, "revoked");
        var kept = TestTokens.New(account, "kept");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateManyAsync([revoked, kept], Ct));
        Assert.True(await CreateStore().DeleteAsync(account, revoked.Id, Ct));

        await CreateStore().RecordUsageAsync(
            [new ApiTokenUsage(account, revoked.Id, Used, "192.0.2.4"), new ApiTokenUsage(TestTokens.NewAccountId(), kept.Id, Used, "192.0.2.5")], Ct);

        var remaining = (await CreateStore().ListAsync(account, ApiTokenQuery.All, Ct)).Items;
        var only = Assert.Single(remaining);
        Assert.Equal("kept", only.Name);
        Assert.Null(only.LastUsedAt);
        Assert.Null(await CreateStore().FindBySelectorAsync(account, revoked.Selector, Ct));
    }

    [SkippableFact]
    public async Task RecordUsage_AnEmptyBatch_OrAnUnknownAddress_IsFine()
    {
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "quiet");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateAsync(token, Ct));

        await CreateStore().RecordUsageAsync([], Ct);
        await CreateStore().RecordUsageAsync([new ApiTokenUsage(account, token.Id, Used, null)], Ct);

        var stored = await CreateStore().FindByNameAsync(account, "quiet", Ct);
        Assert.Equal(Used, stored!.LastUsedAt);
        Assert.Null(stored.LastUsedIp);
    }
}
