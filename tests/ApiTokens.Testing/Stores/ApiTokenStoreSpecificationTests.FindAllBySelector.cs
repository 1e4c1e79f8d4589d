namespace ApiTokens.Testing;

/// <summary>The cross-account lookup leak revocation uses (<see cref="IApiTokenStore.FindAllBySelectorAsync"/>): selector or previous selector, exactly.</summary>
public abstract partial class ApiTokenStoreSpecificationTests
{
    [SkippableFact]
    public async Task FindAllBySelector_FindsEveryAccountsTokenWithItAsSelectorOrPreviousSelector_AndNothingElse()
    {
        var selector = SelectorWithALetter();
        var (a, b, c) = (TestTokens.NewAccountId(), TestTokens.NewAccountId(), TestTokens.NewAccountId());
        var current = TestTokens.New(a, "current", selector);
        var rotated = TestTokens.New(b, "rotated");
        var otherCase = TestTokens.New(c, "other-case", selector.ToLowerInvariant());
        var prefix = TestTokens.New(c, "prefix", selector[..^1]);
        var longer = TestTokens.New(a, "longer", selector + "X");
        var rotatedOtherCase = TestTokens.New(b, "rotated-other-case");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateManyAsync([current, rotated, otherCase, prefix, longer, rotatedOtherCase], Ct));
        var rotatedNow = Rotate(rotated) with { PreviousSelector = selector };
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(rotatedNow, rotated.ConcurrencyStamp, Ct));
        Assert.Equal(
            ApiTokenStoreResult.Success,
            await CreateStore().UpdateAsync(Rotate(rotatedOtherCase) with { PreviousSelector = selector.ToLowerInvariant() }, rotatedOtherCase.ConcurrencyStamp, Ct));

        var found = await CreateStore().FindAllBySelectorAsync(selector, Ct);

        Assert.Equal(2, found.Count);
        AssertSame(current, found.SingleOrDefault(t => t.Id == current.Id));
        var byPrevious = found.SingleOrDefault(t => t.Id == rotated.Id);
        AssertSame(rotatedNow, byPrevious);
        Assert.Equal(selector, byPrevious!.PreviousSelector);
        Assert.Equal(rotated.SecretHash, byPrevious.PreviousSecretHash);
    }

    [SkippableFact]
    public async Task FindAllBySelector_ATokenHoldingItAsBothSelectors_IsListedOnce()
    {
        var token = TestTokens.New(TestTokens.NewAccountId(), "same");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateAsync(token, Ct));
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(Rotate(token, token.Selector), token.ConcurrencyStamp, Ct));

        var found = await CreateStore().FindAllBySelectorAsync(token.Selector, Ct);

        Assert.Equal(token.Id, Assert.Single(found).Id);
    }

    [SkippableFact]
    public async Task FindAllBySelector_AnUnknownSelector_OrADeletedTokens_FindsNothing()
    {
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "revoked");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateAsync(token, Ct));
        Assert.True(await CreateStore().DeleteAsync(account, token.Id, Ct));

        Assert.Empty(await CreateStore().FindAllBySelectorAsync(token.Selector, Ct));
        Assert.Empty(await CreateStore().FindAllBySelectorAsync(TestTokens.NewSelector(), Ct));
    }
}
