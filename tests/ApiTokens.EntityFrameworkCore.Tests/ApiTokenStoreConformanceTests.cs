using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>
/// The <see cref="IApiTokenStore"/> contract, run against every store by a derived class. Each test uses
/// fresh account ids, so tests of one class can share one database.
/// </summary>
public abstract class ApiTokenStoreConformanceTests
{
    protected ApiTokenStoreConformanceTests(StoreHarness harness) => Harness = harness;

    protected StoreHarness Harness { get; }

    private static CancellationToken Ct => CancellationToken.None;

    [SkippableFact]
    public async Task Create_ThenFind_RoundTripsEveryField()
    {
        var store = Harness.CreateStore();
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "deploy-1_x") with
        {
            ExpiresAt = new DateTimeOffset(2030, 12, 31, 23, 59, 59, TimeSpan.Zero),
            Acls = ["create-acct", "list-accts", "manage-api-tokens"],
            WhitelistIps = ["192.0.2.10", "198.51.100.0/24", "2001:db8::/32", "2001:db8:85a3::8a2e:370:7334", "::1"],
        };

        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(token, Ct));

        var other = Harness.CreateStore();
        AssertSame(token, await other.FindByNameAsync(account, token.Name, Ct));
        AssertSame(token, await other.FindBySelectorAsync(account, token.Selector, Ct));
        AssertSame(token, Assert.Single((await other.ListAsync(account, ApiTokenQuery.All, Ct)).Items));
    }

    [SkippableFact]
    public async Task Create_FullAccessNoExpiryAnyIp_RoundTripsNulls()
    {
        var store = Harness.CreateStore();
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "full");

        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(token, Ct));

        var found = await Harness.CreateStore().FindByNameAsync(account, "full", Ct);
        Assert.NotNull(found);
        Assert.Null(found.ExpiresAt);
        Assert.Null(found.Acls);
        Assert.True(found.HasFullAccess);
        Assert.Null(found.WhitelistIps);
        Assert.Equal(TimeSpan.Zero, found.CreatedAt.Offset);
        AssertSame(token, found);
    }

    [SkippableFact]
    public async Task Create_DuplicateName_ReturnsDuplicateName_AndTheStoreStaysUsable()
    {
        var store = Harness.CreateStore();
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
        var store = Harness.CreateStore();
        var account = TestTokens.NewAccountId();
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(account, "one", "SELECTOR"), Ct));

        Assert.Equal(ApiTokenStoreResult.DuplicateSelector, await store.CreateAsync(TestTokens.New(account, "two", "SELECTOR"), Ct));

        Assert.Null(await store.FindByNameAsync(account, "two", Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(account, "two", "SELECTOS"), Ct));
    }

    [SkippableFact]
    public async Task NamesAndSelectors_AreCaseSensitive_SoCiAndCICoexist()
    {
        var store = Harness.CreateStore();
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
        var store = Harness.CreateStore();
        var (a, b) = (TestTokens.NewAccountId(), TestTokens.NewAccountId());

        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(a, "deploy", "SAMESELE"), Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(b, "deploy", "SAMESELE"), Ct));

        Assert.Equal(a, (await store.FindBySelectorAsync(a, "SAMESELE", Ct))?.AccountId);
        Assert.Equal(b, (await store.FindBySelectorAsync(b, "SAMESELE", Ct))?.AccountId);
    }

    [SkippableFact]
    public async Task Lookups_AreExactAndCaseSensitive()
    {
        var store = Harness.CreateStore();
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
        var stores = Enumerable.Range(0, 6).Select(_ => Harness.CreateStore()).ToArray();
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
        Assert.Equal(winner.Id, (await Harness.CreateStore().FindByNameAsync(account, "race", Ct))?.Id);
        Assert.Equal(1, (await Harness.CreateStore().ListAsync(account, ApiTokenQuery.All, Ct)).TotalCount);
    }

    [SkippableFact]
    public async Task Update_WithCurrentStamp_ReplacesEveryChangeableField()
    {
        var store = Harness.CreateStore();
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

        Assert.Equal(ApiTokenStoreResult.Success, await Harness.CreateStore().UpdateAsync(changed, token.ConcurrencyStamp, Ct));

        var reader = Harness.CreateStore();
        Assert.Null(await reader.FindByNameAsync(account, "old", Ct));
        AssertSame(changed, await reader.FindByNameAsync(account, "new", Ct));
    }

    [SkippableFact]
    public async Task Update_WithStaleStamp_IsConcurrencyFailure_NotALostUpdate()
    {
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "shared") with { Acls = ["list-accts"] };
        Assert.Equal(ApiTokenStoreResult.Success, await Harness.CreateStore().CreateAsync(token, Ct));
        var first = token with { Acls = ["create-acct"], ConcurrencyStamp = TestTokens.NewStamp() };
        var second = token with { Acls = ["kill-acct"], ConcurrencyStamp = TestTokens.NewStamp() };

        Assert.Equal(ApiTokenStoreResult.Success, await Harness.CreateStore().UpdateAsync(first, token.ConcurrencyStamp, Ct));
        Assert.Equal(ApiTokenStoreResult.ConcurrencyFailure, await Harness.CreateStore().UpdateAsync(second, token.ConcurrencyStamp, Ct));

        AssertSame(first, await Harness.CreateStore().FindByNameAsync(account, "shared", Ct));
    }

    [SkippableFact]
    public async Task ConcurrentUpdates_WithOneStamp_OnSeparateConnections_ExactlyOneWins()
    {
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "contended");
        Assert.Equal(ApiTokenStoreResult.Success, await Harness.CreateStore().CreateAsync(token, Ct));
        var stores = Enumerable.Range(0, 5).Select(_ => Harness.CreateStore()).ToArray();
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
        AssertSame(winner, await Harness.CreateStore().FindByNameAsync(account, "contended", Ct));
    }

    [SkippableFact]
    public async Task Update_RenameOntoAnExistingName_IsDuplicateName_AndChangesNothing()
    {
        var store = Harness.CreateStore();
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
        var store = Harness.CreateStore();
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "mine");
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(token, Ct));

        Assert.Equal(ApiTokenStoreResult.NotFound, await store.UpdateAsync(TestTokens.New(account, "ghost"), TestTokens.NewStamp(), Ct));
        Assert.Equal(
            ApiTokenStoreResult.NotFound,
            await store.UpdateAsync(token with { AccountId = TestTokens.NewAccountId() }, token.ConcurrencyStamp, Ct));
        AssertSame(token, await store.FindByNameAsync(account, "mine", Ct));
    }

    [SkippableFact]
    public async Task List_IsOrderedByNameOrdinal_AndPagedWithTotalCount()
    {
        var store = Harness.CreateStore();
        var account = TestTokens.NewAccountId();
        string[] names = ["b", "B", "a-1", "a_1", "A", "_z", "-z", "0", "Z9", "ab", "a", "aB", "Ab"];
        foreach (var name in names)
        {
            Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(account, name), Ct));
        }

        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(TestTokens.NewAccountId(), "a"), Ct));
        var expected = names.Order(StringComparer.Ordinal).ToArray();

        var reader = Harness.CreateStore();
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
        var store = Harness.CreateStore();
        var account = TestTokens.NewAccountId();
        foreach (var name in new[] { "Deploy-Prod", "deploy_staging", "backup", "REDEPLOY", "dep" })
        {
            Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(account, name), Ct));
        }

        var page = await Harness.CreateStore().ListAsync(account, new ApiTokenQuery { NameContains = "dEpLoY", Take = 2 }, Ct);

        Assert.Equal(3, page.TotalCount);
        Assert.Equal(["Deploy-Prod", "REDEPLOY"], page.Items.Select(t => t.Name));
        var rest = await Harness.CreateStore().ListAsync(account, new ApiTokenQuery { NameContains = "DEPLOY", Skip = 2, Take = 2 }, Ct);
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
        var store = Harness.CreateStore();
        var account = TestTokens.NewAccountId();
        foreach (var name in new[] { "a_b", "aXb", "a-b", "_lead", "zzz" })
        {
            Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(account, name), Ct));
        }

        var page = await Harness.CreateStore().ListAsync(account, new ApiTokenQuery { NameContains = filter }, Ct);

        Assert.Equal(expected.Order(StringComparer.Ordinal), page.Items.Select(t => t.Name));
        Assert.Equal(expected.Length, page.TotalCount);
    }

    [SkippableFact]
    public async Task DeleteAll_RemovesEveryTokenOfThatAccountOnly_InOneCall()
    {
        var store = Harness.CreateStore();
        var (doomed, kept) = (TestTokens.NewAccountId(), TestTokens.NewAccountId());
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(doomed, $"t{i}"), Ct));
        }

        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(kept, "t0"), Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(TestTokens.New(doomed.ToUpperInvariant(), "t1"), Ct));

        Assert.Equal(7, await Harness.CreateStore().DeleteAllAsync(doomed, Ct));

        var reader = Harness.CreateStore();
        Assert.Equal(0, (await reader.ListAsync(doomed, ApiTokenQuery.All, Ct)).TotalCount);
        Assert.Equal(1, (await reader.ListAsync(kept, ApiTokenQuery.All, Ct)).TotalCount);
        Assert.Equal(1, (await reader.ListAsync(doomed.ToUpperInvariant(), ApiTokenQuery.All, Ct)).TotalCount);
        Assert.Equal(0, await reader.DeleteAllAsync(doomed, Ct));
    }

    [SkippableFact]
    public async Task Delete_RemovesOneToken_OnlyForItsOwner()
    {
        var store = Harness.CreateStore();
        var account = TestTokens.NewAccountId();
        var keep = TestTokens.New(account, "keep");
        var drop = TestTokens.New(account, "drop");
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(keep, Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(drop, Ct));

        Assert.False(await store.DeleteAsync(TestTokens.NewAccountId(), drop.Id, Ct));
        Assert.True(await Harness.CreateStore().DeleteAsync(account, drop.Id, Ct));
        Assert.False(await Harness.CreateStore().DeleteAsync(account, drop.Id, Ct));

        var reader = Harness.CreateStore();
        Assert.Null(await reader.FindByNameAsync(account, "drop", Ct));
        Assert.Null(await reader.FindBySelectorAsync(account, drop.Selector, Ct));
        AssertSame(keep, await reader.FindByNameAsync(account, "keep", Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await reader.CreateAsync(TestTokens.New(account, "drop", drop.Selector), Ct));
    }

    [SkippableFact]
    public async Task StoredRows_NeverContainThePlaintextToken()
    {
        var owner = ManagerHost.NewRoot();
        await using var host = new ManagerHost(Harness.AddStore, owner);
        var created = new List<CreatedApiToken>();
        foreach (var (name, acls) in new[] { ("plain", (string[]?)null), ("limited", ["list-accts", "create-acct"]) })
        {
            var result = await host.Manager.CreateAsync(
                owner.Id, new ApiTokenCreateRequest { Name = name, Acls = acls, WhitelistIps = ["2001:db8::/48"] }, cancellationToken: Ct);
            Assert.True(result.Succeeded, result.Error?.Message);
            created.Add(result.Value);
        }

        var rows = await Harness.ReadRawRowsAsync(owner.Id);

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
        await using (var host = new ManagerHost(Harness.AddStore, owner))
        {
            kept = (await CreateAsync(host, owner, "kept")).PlaintextToken;
            revoked = (await CreateAsync(host, owner, "revoked")).PlaintextToken;
            Assert.True((await host.Manager.RevokeAsync(owner.Id, "revoked", cancellationToken: Ct)).Value);
        }

        await using (var restarted = new ManagerHost(Harness.AddStore, owner))
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
        await using var host = new ManagerHost(Harness.AddStore, owner);
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

    private static async Task<CreatedApiToken> CreateAsync(ManagerHost host, ApiTokenAccount owner, string name)
    {
        var result = await host.Manager.CreateAsync(owner.Id, new ApiTokenCreateRequest { Name = name }, cancellationToken: Ct);
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }

    private static void AssertSame(ApiToken expected, ApiToken? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.AccountId, actual.AccountId);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Selector, actual.Selector);
        Assert.Equal(expected.SecretHash, actual.SecretHash);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.ExpiresAt, actual.ExpiresAt);
        Assert.Equal(expected.Acls, actual.Acls);
        Assert.Equal(expected.WhitelistIps, actual.WhitelistIps);
        Assert.Equal(expected.ConcurrencyStamp, actual.ConcurrencyStamp);
        Assert.Equal(expected.HasFullAccess, actual.HasFullAccess);
    }
}
