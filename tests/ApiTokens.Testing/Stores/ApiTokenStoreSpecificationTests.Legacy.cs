using System.Security.Cryptography;

namespace ApiTokens.Testing;

/// <summary>
/// <see cref="IApiTokenStore.AnySelectorStartsWithAsync"/>: whether any token of any account has a selector with a prefix,
/// compared exactly. The core asks it with <c>~</c> to learn whether tokens imported from cPanel are stored.
/// </summary>
public abstract partial class ApiTokenStoreSpecificationTests
{
    [SkippableFact]
    public async Task AnySelectorStartsWith_SeesATokenOfAnyAccount_AndOnlyItsExactPrefix()
    {
        var store = CreateStore();
        var prefix = "~" + RandomNumberGenerator.GetHexString(12, lowercase: true);
        Assert.False(await store.AnySelectorStartsWithAsync(prefix, Ct));

        var token = TestTokens.New(TestTokens.NewAccountId(), "imported", selector: prefix + "0f1e2d3c4b5a6978");
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(token, Ct));

        var other = CreateStore();
        Assert.True(await other.AnySelectorStartsWithAsync(prefix, Ct));
        Assert.True(await other.AnySelectorStartsWithAsync(prefix[..5], Ct));
        Assert.False(await other.AnySelectorStartsWithAsync(prefix.ToUpperInvariant(), Ct)); // exact, as every lookup
        Assert.False(await other.AnySelectorStartsWithAsync(prefix + "0f1e2d3c4b5a69780", Ct)); // longer than any selector it has
    }

    [SkippableFact]
    public async Task AnySelectorStartsWith_IsFalseAgainOnceTheLastSuchTokenIsGone()
    {
        var store = CreateStore();
        var prefix = "~" + RandomNumberGenerator.GetHexString(12, lowercase: true);
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "imported", selector: prefix + "aa");
        Assert.Equal(ApiTokenStoreResult.Success, await store.CreateAsync(token, Ct));

        // Upgraded to a native selector (as on the token's first use): the prefix is gone.
        var upgraded = token with { Selector = TestTokens.NewSelector(), ConcurrencyStamp = TestTokens.NewStamp() };
        Assert.Equal(ApiTokenStoreResult.Success, await store.UpdateAsync(upgraded, token.ConcurrencyStamp, Ct));

        Assert.False(await CreateStore().AnySelectorStartsWithAsync(prefix, Ct));
    }
}
