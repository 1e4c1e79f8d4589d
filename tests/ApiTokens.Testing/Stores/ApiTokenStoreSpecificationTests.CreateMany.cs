namespace ApiTokens.Testing;

/// <summary>
/// Creating several tokens at once (<see cref="IApiTokenStore.CreateManyAsync"/>, what <c>tokens import-whm</c> stores a file
/// with): all of them, or none, whatever clashes and whoever races.
/// </summary>
public abstract partial class ApiTokenStoreSpecificationTests
{
    [SkippableFact]
    public async Task CreateMany_StoresEveryToken_WithEveryField()
    {
        var store = CreateStore();
        var account = TestTokens.NewAccountId();
        var tokens = new[]
        {
            TestTokens.New(account, "one") with { Acls = ["list-accts"], WhitelistIps = ["192.0.2.10"] },
            TestTokens.New(account, "two") with { ExpiresAt = TestTokens.Created.AddDays(1) },
            TestTokens.New(account, "three", "~" + new string('a', 30)) with { SecretHash = "$sha512$" + new string('a', 128) },
        };

        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateManyAsync(tokens, Ct));

        var other = CreateStore();
        foreach (var token in tokens)
        {
            AssertSame(token, await other.FindBySelectorAsync(account, token.Selector, Ct));
        }

        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateManyAsync([], Ct));
        Assert.Equal(3, (await other.ListAsync(account, ApiTokenQuery.All, Ct)).TotalCount);
    }

    public static TheoryData<string> CreateManyClashes() => ["stored name", "stored selector", "name twice in the list", "selector twice in the list"];

    [SkippableTheory]
    [MemberData(nameof(CreateManyClashes))]
    public async Task CreateMany_WithOneClash_StoresNone_AndSaysWhichKey(string clash)
    {
        var store = CreateStore();
        var account = TestTokens.NewAccountId();
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(account, "existing", "EXISTING"), Ct));
        var last = clash switch
        {
            "stored name" => TestTokens.New(account, "existing"),
            "stored selector" => TestTokens.New(account, "c", "EXISTING"),
            "name twice in the list" => TestTokens.New(account, "a"),
            _ => TestTokens.New(account, "c", "SELECTRA"),
        };
        ApiToken[] tokens = [TestTokens.New(account, "a", "SELECTRA"), TestTokens.New(account, "b"), last];

        var result = await store.CreateManyAsync(tokens, Ct);

        Assert.Equal(clash.Contains("name", StringComparison.Ordinal) ? ApiTokenStoreResult.DuplicateName : ApiTokenStoreResult.DuplicateSelector, result);
        var stored = (await CreateStore().ListAsync(account, ApiTokenQuery.All, Ct)).Items;
        Assert.Equal(["existing"], stored.Select(t => t.Name));
        Assert.Equal("EXISTING", stored[0].Selector);
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateManyAsync([TestTokens.New(account, "a"), TestTokens.New(account, "b")], Ct));
    }

    [SkippableFact]
    public async Task ConcurrentCreateMany_SharingOneName_OnSeparateConnections_ExactlyOneListIsStored()
    {
        var account = TestTokens.NewAccountId();
        var stores = Enumerable.Range(0, 6).Select(_ => CreateStore()).ToArray();
        var lists = stores.Select((_, i) => new[] { TestTokens.New(account, "own-" + i), TestTokens.New(account, "race") }).ToArray();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = stores.Select((store, i) => Task.Run(
            async () =>
            {
                await go.Task;
                return await store.CreateManyAsync(lists[i], Ct);
            },
            Ct)).ToArray();

        go.SetResult();
        var results = await Task.WhenAll(running);

        Assert.Equal(1, results.Count(r => r == ApiTokenStoreResult.Success));
        Assert.All(results.Where(r => r != ApiTokenStoreResult.Success), r => Assert.Equal(ApiTokenStoreResult.DuplicateName, r));
        var winner = lists[Array.IndexOf(results, ApiTokenStoreResult.Success)];
        var stored = (await CreateStore().ListAsync(account, ApiTokenQuery.All, Ct)).Items;
        Assert.Equal(winner.Select(t => t.Id).Order(), stored.Select(t => t.Id).Order());
    }
}
