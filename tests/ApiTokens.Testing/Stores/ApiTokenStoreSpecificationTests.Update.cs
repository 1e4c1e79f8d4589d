namespace ApiTokens.Testing;

/// <summary>Updating a token: optimistic concurrency on the stamp, renames, unknown tokens.</summary>
public abstract partial class ApiTokenStoreSpecificationTests
{
    [SkippableFact]
    public async Task Update_WithCurrentStamp_ReplacesEveryChangeableField()
    {
        var store = CreateStore();
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "old") with { Acls = ["list-accts"], WhitelistIps = ["192.0.2.1"] };
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(token, Ct));
        var changed = token with
        {
            Name = "new",
            Acls = null,
            WhitelistIps = ["2001:db8::1", "10.0.0.0/8"],
            ExpiresAt = new DateTimeOffset(2027, 2, 3, 4, 5, 6, TimeSpan.Zero),
            ConcurrencyStamp = TestTokens.NewStamp(),
        };

        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(changed, token.ConcurrencyStamp, Ct));

        var reader = CreateStore();
        Assert.Null(await reader.FindByNameAsync(account, "old", Ct));
        AssertSame(changed, await reader.FindByNameAsync(account, "new", Ct));
    }

    [SkippableFact]
    public async Task Update_WithStaleStamp_IsConcurrencyFailure_NotALostUpdate()
    {
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "shared") with { Acls = ["list-accts"] };
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateAsync(token, Ct));
        var first = token with { Acls = ["create-acct"], ConcurrencyStamp = TestTokens.NewStamp() };
        var second = token with { Acls = ["kill-acct"], ConcurrencyStamp = TestTokens.NewStamp() };

        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(first, token.ConcurrencyStamp, Ct));
        Assert.Equal(ApiTokenStoreResult.ConcurrencyFailure, await CreateStore().UpdateAsync(second, token.ConcurrencyStamp, Ct));

        AssertSame(first, await CreateStore().FindByNameAsync(account, "shared", Ct));
    }

    [SkippableFact]
    public async Task ConcurrentUpdates_WithOneStamp_OnSeparateConnections_ExactlyOneWins()
    {
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "contended");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateAsync(token, Ct));
        var stores = Enumerable.Range(0, 5).Select(_ => CreateStore()).ToArray();
        var updates = stores.Select((_, i) => token with { Acls = [$"acl-{i}"], ConcurrencyStamp = TestTokens.NewStamp() }).ToArray();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = stores.Select((store, i) => Task.Run(
            async () =>
            {
                await go.Task;
                return await store.UpdateAsync(updates[i], token.ConcurrencyStamp, Ct);
            },
            Ct)).ToArray();

        go.SetResult();
        var results = await Task.WhenAll(running);

        Assert.Equal(1, results.Count(r => r == ApiTokenStoreResult.Success));
        Assert.All(results.Where(r => r != ApiTokenStoreResult.Success), r => Assert.Equal(ApiTokenStoreResult.ConcurrencyFailure, r));
        var winner = updates[Array.IndexOf(results, ApiTokenStoreResult.Success)];
        AssertSame(winner, await CreateStore().FindByNameAsync(account, "contended", Ct));
    }

    [SkippableFact]
    public async Task Update_RenameOntoAnExistingName_IsDuplicateName_AndChangesNothing()
    {
        var store = CreateStore();
        var account = TestTokens.NewAccountId();
        var a = TestTokens.New(account, "a");
        var b = TestTokens.New(account, "b");
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(a, Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(b, Ct));

        var result = await store.UpdateAsync(b with { Name = "a", ConcurrencyStamp = TestTokens.NewStamp() }, b.ConcurrencyStamp, Ct);

        Assert.Equal(ApiTokenStoreResult.DuplicateName, result);
        AssertSame(a, await store.FindByNameAsync(account, "a", Ct));
        AssertSame(b, await store.FindByNameAsync(account, "b", Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await store.UpdateAsync(b with { Name = "A" }, b.ConcurrencyStamp, Ct));
    }

    [SkippableFact]
    public async Task Update_UnknownTokenOrOtherAccount_IsNotFound()
    {
        var store = CreateStore();
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "mine");
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(token, Ct));

        Assert.Equal(ApiTokenStoreResult.NotFound, await store.UpdateAsync(TestTokens.New(account, "ghost"), TestTokens.NewStamp(), Ct));
        Assert.Equal(
            ApiTokenStoreResult.NotFound,
            await store.UpdateAsync(token with { AccountId = TestTokens.NewAccountId() }, token.ConcurrencyStamp, Ct));
        AssertSame(token, await store.FindByNameAsync(account, "mine", Ct));
    }
}
