using System.Security.Cryptography;

namespace ApiTokens.Testing;

/// <summary>
/// The expiry-warning scan and mark (<see cref="IApiTokenStore.ListExpiringAsync"/>, <see cref="IApiTokenStore.TryMarkExpiryWarnedAsync"/>):
/// bounds, order, limit, once per token and expiry, no stamp change. Both see every account, so each test works in a time window
/// of its own, far from the other tests' expiries.
/// </summary>
public abstract partial class ApiTokenStoreSpecificationTests
{
    [SkippableFact]
    public async Task ListExpiring_ListsTokensExpiringAfterTheStartUpToAndIncludingTheEnd_OfEveryAccount_SoonestFirst()
    {
        var start = ExpiryWindow();
        var (a, b) = (TestTokens.NewAccountId(), TestTokens.NewAccountId());
        ApiToken Expiring(string account, string name, int seconds) => TestTokens.New(account, name) with { ExpiresAt = start.AddSeconds(seconds) };
        var atStart = Expiring(a, "at-start", 0);
        var first = Expiring(b, "first", 1);
        var middle = Expiring(a, "middle", 50);
        var atEnd = Expiring(b, "at-end", 100);
        var afterEnd = Expiring(a, "after-end", 101);
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateManyAsync([atEnd, afterEnd, middle, atStart, first, TestTokens.New(a, "never")], Ct));

        var listed = await CreateStore().ListExpiringAsync(start, start.AddSeconds(100), 10, Ct);

        Assert.Equal(["first", "middle", "at-end"], listed.Select(t => t.Name));
        AssertSame(middle, listed[1]);
        Assert.Empty(await CreateStore().ListExpiringAsync(start.AddSeconds(100), start.AddSeconds(100), 10, Ct));
    }

    [SkippableFact]
    public async Task ListExpiring_TakesAtMostTheLimit_TheSoonestFirst()
    {
        var start = ExpiryWindow();
        var account = TestTokens.NewAccountId();
        var tokens = Enumerable.Range(1, 5).Select(i => TestTokens.New(account, $"t{i}") with { ExpiresAt = start.AddMinutes(6 - i) }).ToArray();
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateManyAsync(tokens, Ct));

        var reader = CreateStore();
        Assert.Equal(["t5", "t4"], (await reader.ListExpiringAsync(start, start.AddDays(1), 2, Ct)).Select(t => t.Name));
        Assert.Equal(5, (await reader.ListExpiringAsync(start, start.AddDays(1), 500, Ct)).Count);
        Assert.Empty(await reader.ListExpiringAsync(start, start.AddDays(1), 0, Ct));
    }

    [SkippableFact]
    public async Task ListExpiring_LeavesOutATokenWarnedForItsExpiry_AndListsItAgainOnceItsExpiryChanges()
    {
        var start = ExpiryWindow();
        var account = TestTokens.NewAccountId();
        var warned = TestTokens.New(account, "warned") with { ExpiresAt = start.AddHours(1) };
        var other = TestTokens.New(account, "other") with { ExpiresAt = start.AddHours(2) };
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateManyAsync([warned, other], Ct));
        Assert.True(await CreateStore().TryMarkExpiryWarnedAsync(account, warned.Id, start.AddHours(1), Ct));

        Assert.Equal(["other"], (await CreateStore().ListExpiringAsync(start, start.AddDays(1), 10, Ct)).Select(t => t.Name));

        var extended = warned with { ExpiresAt = start.AddHours(3), ConcurrencyStamp = TestTokens.NewStamp() };
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(extended, warned.ConcurrencyStamp, Ct));
        var listed = await CreateStore().ListExpiringAsync(start, start.AddDays(1), 10, Ct);
        Assert.Equal(["other", "warned"], listed.Select(t => t.Name));
        Assert.Equal(start.AddHours(1), listed[1].ExpiryWarnedFor); // the old warning, not for this expiry
        Assert.True(await CreateStore().TryMarkExpiryWarnedAsync(account, warned.Id, start.AddHours(3), Ct));
        Assert.Equal(["other"], (await CreateStore().ListExpiringAsync(start, start.AddDays(1), 10, Ct)).Select(t => t.Name));
    }

    [SkippableFact]
    public async Task TryMarkExpiryWarned_SucceedsOnce_ForTheStoredExpiry()
    {
        var expiry = ExpiryWindow().AddHours(1);
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "expiring") with { ExpiresAt = expiry };
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateAsync(token, Ct));

        Assert.True(await CreateStore().TryMarkExpiryWarnedAsync(account, token.Id, expiry, Ct));
        Assert.False(await CreateStore().TryMarkExpiryWarnedAsync(account, token.Id, expiry, Ct));

        Assert.Equal(expiry, (await CreateStore().FindByNameAsync(account, "expiring", Ct))?.ExpiryWarnedFor);
    }

    [SkippableFact]
    public async Task TryMarkExpiryWarned_ConcurrentCalls_OnSeparateConnections_ExactlyOneSucceeds()
    {
        var expiry = ExpiryWindow().AddHours(1);
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "contended") with { ExpiresAt = expiry };
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateAsync(token, Ct));
        var stores = Enumerable.Range(0, 5).Select(_ => CreateStore()).ToArray();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = stores.Select(store => Task.Run(
            async () =>
            {
                await go.Task;
                return await store.TryMarkExpiryWarnedAsync(account, token.Id, expiry, Ct);
            },
            Ct)).ToArray();

        go.SetResult();
        var results = await Task.WhenAll(running);

        Assert.Single(results, r => r);
        Assert.Equal(expiry, (await CreateStore().FindByNameAsync(account, "contended", Ct))?.ExpiryWarnedFor);
    }

    [SkippableFact]
    public async Task TryMarkExpiryWarned_KeepsTheStamp_SoAnUpdateReadBeforeItSucceeds_AndTheUpdateKeepsTheMark()
    {
        var expiry = ExpiryWindow().AddHours(1);
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "busy") with { ExpiresAt = expiry };
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateAsync(token, Ct));

        Assert.True(await CreateStore().TryMarkExpiryWarnedAsync(account, token.Id, expiry, Ct));
        Assert.Equal(token.ConcurrencyStamp, (await CreateStore().FindByNameAsync(account, "busy", Ct))?.ConcurrencyStamp);

        // The update was read before the mark, and even claims another warning: the stored mark stays.
        var changed = token with { Acls = ["list-accts"], ExpiryWarnedFor = expiry.AddDays(-1), ConcurrencyStamp = TestTokens.NewStamp() };
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(changed, token.ConcurrencyStamp, Ct));
        var stored = await CreateStore().FindByNameAsync(account, "busy", Ct);
        Assert.Equal(["list-accts"], stored!.Acls);
        Assert.Equal(expiry, stored.ExpiryWarnedFor);
        Assert.Empty(await CreateStore().ListExpiringAsync(expiry.AddHours(-1), expiry, 10, Ct));

        var unmarked = stored with { ExpiryWarnedFor = null, Acls = null, ConcurrencyStamp = TestTokens.NewStamp() };
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().UpdateAsync(unmarked, changed.ConcurrencyStamp, Ct));
        Assert.Equal(expiry, (await CreateStore().FindByNameAsync(account, "busy", Ct))?.ExpiryWarnedFor);
    }

    [SkippableFact]
    public async Task TryMarkExpiryWarned_ForAnotherExpiry_AnotherAccount_ADeletedToken_OrATokenThatNeverExpires_IsFalse()
    {
        var expiry = ExpiryWindow().AddHours(1);
        var account = TestTokens.NewAccountId();
        var token = TestTokens.New(account, "expiring") with { ExpiresAt = expiry };
        var revoked = TestTokens.New(account, "revoked") with { ExpiresAt = expiry };
        var never = TestTokens.New(account, "never");
        Assert.Equal(ApiTokenStoreResult.Success, await CreateStore().CreateManyAsync([token, revoked, never], Ct));
        Assert.True(await CreateStore().DeleteAsync(account, revoked.Id, Ct));

        var store = CreateStore();
        Assert.False(await store.TryMarkExpiryWarnedAsync(account, token.Id, expiry.AddSeconds(1), Ct));
        Assert.False(await store.TryMarkExpiryWarnedAsync(account, token.Id, expiry.AddMilliseconds(500), Ct));
        Assert.False(await store.TryMarkExpiryWarnedAsync(TestTokens.NewAccountId(), token.Id, expiry, Ct));
        Assert.False(await store.TryMarkExpiryWarnedAsync(account, revoked.Id, expiry, Ct));
        Assert.False(await store.TryMarkExpiryWarnedAsync(account, never.Id, expiry, Ct));
        Assert.False(await store.TryMarkExpiryWarnedAsync(account, Guid.NewGuid(), expiry, Ct));

        var reader = CreateStore();
        Assert.Null((await reader.FindByNameAsync(account, "expiring", Ct))?.ExpiryWarnedFor);
        Assert.Null((await reader.FindByNameAsync(account, "never", Ct))?.ExpiryWarnedFor);
        Assert.Null(await reader.FindByNameAsync(account, "revoked", Ct));
        Assert.Equal(["expiring"], (await reader.ListExpiringAsync(expiry.AddHours(-1), expiry, 10, Ct)).Select(t => t.Name));
    }

    /// <summary>The start of a time window of this test's own: a random ten-day slot between the years 2200 and about 4900.</summary>
    private static DateTimeOffset ExpiryWindow() =>
        new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(10L * RandomNumberGenerator.GetInt32(0, 100_000));
}
