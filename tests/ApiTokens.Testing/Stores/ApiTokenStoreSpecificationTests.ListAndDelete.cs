namespace ApiTokens.Testing;

/// <summary>Listing (ordinal order, paging, a literal case-insensitive name filter) and deleting one token or all of an account.</summary>
public abstract partial class ApiTokenStoreSpecificationTests
{
    [SkippableFact]
    public async Task List_IsOrderedByNameOrdinal_AndPagedWithTotalCount()
    {
        var store = CreateStore();
        var account = TestTokens.NewAccountId();
        string[] names = ["b", "B", "a-1", "a_1", "A", "_z", "-z", "0", "Z9", "ab", "a", "aB", "Ab"];
        foreach (var name in names)
        {
            Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(account, name), Ct));
        }

        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(TestTokens.NewAccountId(), "a"), Ct));
        var expected = names.Order(StringComparer.Ordinal).ToArray();

        var reader = CreateStore();
        var all = await reader.ListAsync(account, ApiTokenQuery.All, Ct);
        Assert.Equal(expected, all.Items.Select(t => t.Name));
        Assert.Equal(names.Length, all.TotalCount);

        var paged = new List<string>();
        for (var skip = 0; skip < names.Length; skip += 4)
        {
            var page = await reader.ListAsync(account, new ApiTokenQuery { Skip = skip, Take = 4 }, Ct);
            Assert.Equal(names.Length, page.TotalCount);
            Assert.Equal(Math.Min(4, names.Length - skip), page.Items.Count);
            paged.AddRange(page.Items.Select(t => t.Name));
        }

        Assert.Equal(expected, paged);
        var beyond = await reader.ListAsync(account, new ApiTokenQuery { Skip = 100, Take = 4 }, Ct);
        Assert.Empty(beyond.Items);
        Assert.Equal(names.Length, beyond.TotalCount);
    }

    [SkippableFact]
    public async Task List_FiltersByCaseInsensitiveNameSubstring()
    {
        var store = CreateStore();
        var account = TestTokens.NewAccountId();
        foreach (var name in new[] { "Deploy-Prod", "deploy_staging", "backup", "REDEPLOY", "dep" })
        {
            Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(account, name), Ct));
        }

        var page = await CreateStore().ListAsync(account, new ApiTokenQuery { NameContains = "dEpLoY", Take = 2 }, Ct);

        Assert.Equal(3, page.TotalCount);
        Assert.Equal(["Deploy-Prod", "REDEPLOY"], page.Items.Select(t => t.Name));
        var rest = await CreateStore().ListAsync(account, new ApiTokenQuery { NameContains = "DEPLOY", Skip = 2, Take = 2 }, Ct);
        Assert.Equal(["deploy_staging"], rest.Items.Select(t => t.Name));
    }

    [SkippableTheory]
    [InlineData("_", new[] { "_lead", "a_b" })]
    [InlineData("a_", new[] { "a_b" })]
    [InlineData("%", new string[0])]
    [InlineData("a%b", new string[0])]
    [InlineData("\\", new string[0])]
    [InlineData("[a-z]", new string[0])]
    [InlineData("-", new[] { "a-b" })]
    [InlineData("A", new[] { "_lead", "a-b", "a_b", "aXb" })]
    [InlineData("XB", new[] { "aXb" })]
    public async Task List_FilterTreatsWildcardsLiterally(string filter, string[] expected)
    {
        var store = CreateStore();
        var account = TestTokens.NewAccountId();
        foreach (var name in new[] { "a_b", "aXb", "a-b", "_lead", "zzz" })
        {
            Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(account, name), Ct));
        }

        var page = await CreateStore().ListAsync(account, new ApiTokenQuery { NameContains = filter }, Ct);

        Assert.Equal(expected.Order(StringComparer.Ordinal), page.Items.Select(t => t.Name));
        Assert.Equal(expected.Length, page.TotalCount);
    }

    [SkippableFact]
    public async Task DeleteAll_RemovesEveryTokenOfThatAccountOnly_InOneCall()
    {
        var store = CreateStore();
        var (doomed, kept) = (TestTokens.NewAccountId(), TestTokens.NewAccountId());
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(doomed, $"t{i}"), Ct));
        }

        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(kept, "t0"), Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(doomed.ToUpperInvariant(), "t1"), Ct));

        Assert.Equal(7, await CreateStore().DeleteAllAsync(doomed, Ct));

        var reader = CreateStore();
        Assert.Equal(0, (await reader.ListAsync(doomed, ApiTokenQuery.All, Ct)).TotalCount);
        Assert.Equal(1, (await reader.ListAsync(kept, ApiTokenQuery.All, Ct)).TotalCount);
        Assert.Equal(1, (await reader.ListAsync(doomed.ToUpperInvariant(), ApiTokenQuery.All, Ct)).TotalCount);
        Assert.Equal(0, await reader.DeleteAllAsync(doomed, Ct));
    }

    [SkippableFact]
    public async Task Delete_RemovesOneToken_OnlyForItsOwner()
    {
        var store = CreateStore();
        var account = TestTokens.NewAccountId();
        var keep = TestTokens.New(account, "keep");
        var drop = TestTokens.New(account, "drop");
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(keep, Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(drop, Ct));

        Assert.False(await store.DeleteAsync(TestTokens.NewAccountId(), drop.Id, Ct));
        Assert.True(await CreateStore().DeleteAsync(account, drop.Id, Ct));
        Assert.False(await CreateStore().DeleteAsync(account, drop.Id, Ct));

        var reader = CreateStore();
        Assert.Null(await reader.FindByNameAsync(account, "drop", Ct));
        Assert.Null(await reader.FindBySelectorAsync(account, drop.Selector, Ct));
        AssertSame(keep, await reader.FindByNameAsync(account, "keep", Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await reader.CreateAsync(TestTokens.New(account, "drop", drop.Selector), Ct));
    }
}
