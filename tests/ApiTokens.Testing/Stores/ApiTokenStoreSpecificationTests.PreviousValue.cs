namespace ApiTokens.Testing;

/// <summary>
/// A rotated token's previous value (<see cref="ApiToken.PreviousSelector"/> and its hash and end): written and cleared by
/// <see cref="IApiTokenStore.UpdateAsync"/>, found by <see cref="IApiTokenStore.FindBySelectorAsync"/>, and unique per account
/// across both selector columns.
/// </summary>
public abstract partial class ApiTokenStoreSpecificationTests
{
    private const string RotatedHash = "$argon2id$v=19$m=64,t=1,p=1$cHJldmlvdXNzYWx0c2FsdA$cHJldmlvdXNoYXNocHJldmlvdXNoYXNocHJldmlvdXM";

    private static readonly DateTimeOffset GraceEnds = TestTokens.Created.AddHours(6);

    [SkippableFact]
    public async Task Update_WithAPreviousValue_StoresIt_AndFindBySelectorFindsTheTokenByEitherSelector()
    {
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "rotated") with { Acls = ["list-accts"] };
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateAsync(token, Ct));
        var rotated = Rotate(token);

        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(rotated, token.ConcurrencyStamp, Ct));

        var reader = CreateStore();
        var byNew = await reader.FindBySelectorAsync(account, rotated.Selector, Ct);
        var byOld = await reader.FindBySelectorAsync(account, token.Selector, Ct);
        foreach (var found in new[] { byNew, byOld, await reader.FindByNameAsync(account, "rotated", Ct) })
        {
            AssertSame(rotated, found);
            Assert.Equal(token.Selector, found!.PreviousSelector);
            Assert.Equal(token.SecretHash, found.PreviousSecretHash);
            Assert.Equal(GraceEnds, found.PreviousSecretExpiresAt);
            Assert.True(found.IsPreviousValueLiveAt(GraceEnds.AddSeconds(-1)));
            Assert.False(found.IsPreviousValueLiveAt(GraceEnds));
        }
    }

    [SkippableFact]
    public async Task Update_ClearingThePreviousValue_TheOldSelectorFindsNothing_AndIsFreeAgain()
    {
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "rotated");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateAsync(token, Ct));
        var rotated = Rotate(token);
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(rotated, token.ConcurrencyStamp, Ct));
        var cleared = rotated with { PreviousSelector = null, PreviousSecretHash = null, PreviousSecretExpiresAt = null, ConcurrencyStamp = TestTokens.NewStamp() };

        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(cleared, rotated.ConcurrencyStamp, Ct));

        var reader = CreateStore();
        Assert.Null(await reader.FindBySelectorAsync(account, token.Selector, Ct));
        var stored = await reader.FindBySelectorAsync(account, rotated.Selector, Ct);
        AssertSame(cleared, stored);
        Assert.Null(stored!.PreviousSelector);
        Assert.Null(stored.PreviousSecretHash);
        Assert.Null(stored.PreviousSecretExpiresAt);
        Assert.Equal(ApiTokenStoreResult.Success, await reader.CreateAsync(TestTokens.New(account, "reuses", token.Selector), Ct));
    }

    [SkippableFact]
    public async Task FindBySelector_ByAPreviousSelector_IsExact_AndPerAccount()
    {
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "rotated", SelectorWithALetter());
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateAsync(token, Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(Rotate(token), token.ConcurrencyStamp, Ct));

        var reader = CreateStore();
        Assert.Null(await reader.FindBySelectorAsync(account, token.Selector.ToLowerInvariant(), Ct));
        Assert.Null(await reader.FindBySelectorAsync(account, token.Selector[..^1], Ct));
        Assert.Null(await reader.FindBySelectorAsync(TestTokens.NewAccountId(), token.Selector, Ct));
        Assert.Equal(token.Id, (await reader.FindBySelectorAsync(account, token.Selector, Ct))?.Id);
    }

    [SkippableFact]
    public async Task FindBySelector_ATokenWhoseSelectorAndPreviousSelectorAreEqual_IsFound()
    {
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "same");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateAsync(token, Ct));
        var rehashed = Rotate(token, token.Selector);

        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(rehashed, token.ConcurrencyStamp, Ct));

        var found = await CreateStore().FindBySelectorAsync(account, token.Selector, Ct);
        AssertSame(rehashed, found);
        Assert.Equal(token.Selector, found!.PreviousSelector);
    }

    [SkippableFact]
    public async Task Update_APreviousSelectorAnotherTokenHoldsAsItsSelector_IsDuplicateSelector_AndChangesNothing()
    {
        var account = TestTokens.NewAccountId();
        var holder = TestTokens.New(account, "holder");
        var token = TestTokens.New(account, "rotated");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateManyAsync([holder, token], Ct));

        var result = await CreateStore().UpdateAsync(Rotate(token) with { PreviousSelector = holder.Selector }, token.ConcurrencyStamp, Ct);

        Assert.Equal(ApiTokenStoreResult.DuplicateSelector, result);
        var reader = CreateStore();
        AssertSame(token, await reader.FindByNameAsync(account, "rotated", Ct));
        AssertSame(holder, await reader.FindBySelectorAsync(account, holder.Selector, Ct));
    }

    [SkippableFact]
    public async Task Update_APreviousSelectorAnotherTokenHoldsAsItsPreviousSelector_IsDuplicateSelector()
    {
        var account = TestTokens.NewAccountId();
        var first = TestTokens.New(account, "first");
        var second = TestTokens.New(account, "second");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateManyAsync([first, second], Ct));
        var firstRotated = Rotate(first);
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(firstRotated, first.ConcurrencyStamp, Ct));

        var result = await CreateStore().UpdateAsync(Rotate(second) with { PreviousSelector = first.Selector }, second.ConcurrencyStamp, Ct);

        Assert.Equal(ApiTokenStoreResult.DuplicateSelector, result);
        AssertSame(second, await CreateStore().FindByNameAsync(account, "second", Ct));
        Assert.Equal(first.Id, (await CreateStore().FindBySelectorAsync(account, first.Selector, Ct))?.Id);
    }

    [SkippableFact]
    public async Task Update_ASelectorAnotherTokenHoldsAsItsPreviousSelector_IsDuplicateSelector()
    {
        var account = TestTokens.NewAccountId();
        var first = TestTokens.New(account, "first");
        var second = TestTokens.New(account, "second");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateManyAsync([first, second], Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(Rotate(first), first.ConcurrencyStamp, Ct));

        var result = await CreateStore().UpdateAsync(Rotate(second, first.Selector), second.ConcurrencyStamp, Ct);

        Assert.Equal(ApiTokenStoreResult.DuplicateSelector, result);
        AssertSame(second, await CreateStore().FindByNameAsync(account, "second", Ct));
    }

    [SkippableFact]
    public async Task Create_ASelectorAnotherTokenHoldsAsItsPreviousSelector_IsDuplicateSelector_SoTheLookupStaysUnambiguous()
    {
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "rotated");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateAsync(token, Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(Rotate(token), token.ConcurrencyStamp, Ct));

        Assert.Equal(ApiTokenStoreResult.DuplicateSelector, await CreateStore().CreateAsync(TestTokens.New(account, "new", token.Selector), Ct));
        Assert.Equal(
            ApiTokenStoreResult.DuplicateSelector,
            await CreateStore().CreateManyAsync([TestTokens.New(account, "x"), TestTokens.New(account, "y", token.Selector)], Ct));

        var reader = CreateStore();
        Assert.Null(await reader.FindByNameAsync(account, "new", Ct));
        Assert.Null(await reader.FindByNameAsync(account, "x", Ct));
        Assert.Equal("rotated", (await reader.FindBySelectorAsync(account, token.Selector, Ct))?.Name);
    }

    [SkippableFact]
    public async Task PreviousSelectors_OfDifferentAccounts_DoNotCollide_WithEachOtherOrWithSelectors()
    {
        var (a, b, c) = (TestTokens.NewAccountId(), TestTokens.NewAccountId(), TestTokens.NewAccountId());
        var shared = TestTokens.NewSelector();
        var first = TestTokens.New(a, "t");
        var second = TestTokens.New(c, "t");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateManyAsync([first, second, TestTokens.New(b, "holder", shared)], Ct));

        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(Rotate(first) with { PreviousSelector = shared }, first.ConcurrencyStamp, Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(Rotate(second) with { PreviousSelector = shared }, second.ConcurrencyStamp, Ct));

        var reader = CreateStore();
        Assert.Equal(first.Id, (await reader.FindBySelectorAsync(a, shared, Ct))?.Id);
        Assert.Equal("holder", (await reader.FindBySelectorAsync(b, shared, Ct))?.Name);
        Assert.Equal(second.Id, (await reader.FindBySelectorAsync(c, shared, Ct))?.Id);
    }

    [SkippableFact]
    public async Task AnySelectorStartsWith_SeesAPreviousSelectorToo_UntilItIsCleared()
    {
        var account = TestTokens.NewAccountId();
        var prefix = "^" + Guid.NewGuid().ToString("N")[..6]; // no other test's selector starts with it
        var token = TestTokens.New(account, "legacy", prefix + "A");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateAsync(token, Ct));
        var rotated = Rotate(token);
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(rotated, token.ConcurrencyStamp, Ct));

        Assert.True(await CreateStore().AnySelectorStartsWithAsync(prefix, Ct));

        var cleared = rotated with { PreviousSelector = null, PreviousSecretHash = null, PreviousSecretExpiresAt = null, ConcurrencyStamp = TestTokens.NewStamp() };
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(cleared, rotated.ConcurrencyStamp, Ct));
        Assert.False(await CreateStore().AnySelectorStartsWithAsync(prefix, Ct));
    }

    /// <summary>A random selector that starts with a letter, so its lower-case form is another selector.</summary>
    private static string SelectorWithALetter() => "K" + TestTokens.NewSelector()[1..];

    /// <summary>
    /// <paramref name="token"/> with a new value (selector <paramref name="newSelector"/> or a random one), its old value kept as
    /// the previous one until <see cref="GraceEnds"/>, and a new stamp: what the manager's rotation stores.
    /// </summary>
    private static ApiToken Rotate(ApiToken token, string? newSelector = null) => token with
    {
        Selector = newSelector ?? TestTokens.NewSelector(),
        SecretHash = RotatedHash,
        PreviousSelector = token.Selector,
        PreviousSecretHash = token.SecretHash,
        PreviousSecretExpiresAt = GraceEnds,
        ConcurrencyStamp = TestTokens.NewStamp(),
    };
}
