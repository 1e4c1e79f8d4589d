namespace ApiTokens.Testing;

/// <summary>Creating a token and finding it again: every field, uniqueness per account, exact and case-sensitive lookups.</summary>
public abstract partial class ApiTokenStoreSpecificationTests
{
    [SkippableFact]
    public async Task Create_ThenFind_RoundTripsEveryField()
    {
        var store = CreateStore();
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "deploy-1_x") with
        {
            ExpiresAt = new DateTimeOffset(2030, 12, 31, 23, 59, 59, TimeSpan.Zero),
            Acls = ["create-acct", "list-accts", "manage-api-tokens"],
            WhitelistIps = ["192.0.2.10", "198.51.100.0/24", "2001:db8::/32", "2001:db8:85a3::8a2e:370:7334", "::1"],
        };

        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(token, Ct));

        var other = CreateStore();
        AssertSame(token, await other.FindByNameAsync(account, token.Name, Ct));
        AssertSame(token, await other.FindBySelectorAsync(account, token.Selector, Ct));
        AssertSame(token, Assert.Single((await other.ListAsync(account, ApiTokenQuery.All, Ct)).Items));
    }

    [SkippableFact]
    public async Task Create_FullAccessNoExpiryAnyIp_RoundTripsNulls()
    {
        var store = CreateStore();
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "full");

        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(token, Ct));

        var found = await CreateStore().FindByNameAsync(account, "full", Ct);
        Assert.NotNull(found);
        Assert.Null(found.ExpiresAt);
        Assert.Null(found.Acls);
        Assert.True(found.HasFullAccess);
        Assert.Null(found.WhitelistIps);
        Assert.Equal(TimeSpan.Zero, found.CreatedAt.Offset);
        AssertSame(token, found);
    }

    [SkippableFact]
    public async Task Create_NameOfTheLongestLengthTheRuleAllows_RoundTrips()
    {
        var store = CreateStore();
        var account = TestTokens.NewAccountId();
        var name = string.Concat(Enumerable.Repeat("aZ9_-", TokenNames.MaxLength / 5)) + new string('x', TokenNames.MaxLength % 5);
        Assert.True(TokenNames.IsValid(name));
        var token = TestTokens.New(account, name);

        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(token, Ct));

        AssertSame(token, await CreateStore().FindByNameAsync(account, name, Ct));
    }

    [SkippableFact]
    public async Task Create_DuplicateName_ReturnsDuplicateName_AndTheStoreStaysUsable()
    {
        var store = CreateStore();
        var account = TestTokens.NewAccountId();
        var first = TestTokens.New(account, "ci");
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(first, Ct));

        Assert.Equal(ApiTokenStoreResult.DuplicateName, await store.CreateAsync(TestTokens.New(account, "ci"), Ct));

        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(account, "ci2"), Ct));
        Assert.Equal(first.Id, (await store.FindByNameAsync(account, "ci", Ct))?.Id);
        Assert.Equal(2, (await store.ListAsync(account, ApiTokenQuery.All, Ct)).TotalCount);
    }

    [SkippableFact]
    public async Task Create_DuplicateSelector_ReturnsDuplicateSelector()
    {
        var store = CreateStore();
        var account = TestTokens.NewAccountId();
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(account, "one", "SELECTOR"), Ct));

        Assert.Equal(ApiTokenStoreResult.DuplicateSelector, await store.CreateAsync(TestTokens.New(account, "two", "SELECTOR"), Ct));

        Assert.Null(await store.FindByNameAsync(account, "two", Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(account, "two", "SELECTOS"), Ct));
    }

    [SkippableFact]
    public async Task NamesAndSelectors_AreCaseSensitive_SoCiAndCICoexist()
    {
        var store = CreateStore();
        var account = TestTokens.NewAccountId();

        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(account, "ci", "ABCDEFGH"), Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(account, "CI", "abcdefgh"), Ct));

        Assert.Equal("ci", (await store.FindBySelectorAsync(account, "ABCDEFGH", Ct))?.Name);
        Assert.Equal("CI", (await store.FindBySelectorAsync(account, "abcdefgh", Ct))?.Name);
        Assert.Equal("abcdefgh", (await store.FindByNameAsync(account, "CI", Ct))?.Selector);
    }

    [SkippableFact]
    public async Task SameNameAndSelector_InTwoAccounts_Coexist()
    {
        var store = CreateStore();
        var (a, b) = (TestTokens.NewAccountId(), TestTokens.NewAccountId());

        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(a, "deploy", "SAMESELE"), Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(b, "deploy", "SAMESELE"), Ct));

        Assert.Equal(a, (await store.FindBySelectorAsync(a, "SAMESELE", Ct))?.AccountId);
        Assert.Equal(b, (await store.FindBySelectorAsync(b, "SAMESELE", Ct))?.AccountId);
    }

    [SkippableFact]
    public async Task Lookups_AreExactAndCaseSensitive()
    {
        var store = CreateStore();
        var account = TestTokens.NewAccountId();
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(account, "deploy", "SEL12345"), Ct));

        Assert.Null(await store.FindByNameAsync(account, "Deploy", Ct));
        Assert.Null(await store.FindByNameAsync(account, "DEPLOY", Ct));
        Assert.Null(await store.FindByNameAsync(account, "deplo", Ct));
        Assert.Null(await store.FindByNameAsync(account, "deploy ", Ct));
        Assert.Null(await store.FindByNameAsync(account, "deplo_", Ct));
        Assert.Null(await store.FindByNameAsync(account, "deplo%", Ct));
        Assert.Null(await store.FindBySelectorAsync(account, "sel12345", Ct));
        Assert.Null(await store.FindBySelectorAsync(account, "SEL1234", Ct));
        Assert.Null(await store.FindBySelectorAsync(account.ToUpperInvariant(), "SEL12345", Ct));
        Assert.Null(await store.FindByNameAsync(account.ToUpperInvariant(), "deploy", Ct));
        Assert.Null(await store.FindByNameAsync(TestTokens.NewAccountId(), "deploy", Ct));
        Assert.NotNull(await store.FindByNameAsync(account, "deploy", Ct));
    }

    [SkippableFact]
    public async Task ConcurrentCreates_OfOneName_OnSeparateConnections_ExactlyOneWins()
    {
        var account = TestTokens.NewAccountId();
        var stores = Enumerable.Range(0, 6).Select(_ => CreateStore()).ToArray();
        var tokens = stores.Select(_ => TestTokens.New(account, "race")).ToArray();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = stores.Select((store, i) => Task.Run(
            async () =>
            {
                await go.Task;
                return await store.CreateAsync(tokens[i], Ct);
            },
            Ct)).ToArray();

        go.SetResult();
        var results = await Task.WhenAll(running);

        Assert.Equal(1, results.Count(r => r == ApiTokenStoreResult.Success));
        Assert.All(results.Where(r => r != ApiTokenStoreResult.Success), r => Assert.Equal(ApiTokenStoreResult.DuplicateName, r));
        var winner = tokens[Array.IndexOf(results, ApiTokenStoreResult.Success)];
        Assert.Equal(winner.Id, (await CreateStore().FindByNameAsync(account, "race", Ct))?.Id);
        Assert.Equal(1, (await CreateStore().ListAsync(account, ApiTokenQuery.All, Ct)).TotalCount);
    }
}
