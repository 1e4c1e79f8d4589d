using ApiTokens.Tests.Infrastructure;

namespace ApiTokens.Tests.Rotation;

/// <summary>
/// <see cref="ApiTokenManager.RotateAsync"/> beyond the grace period itself: a harmless concurrent write does not fail it, the old
/// value never outlives the token, and <c>api_token_get_details</c>'s lookup knows a live old value.
/// </summary>
public sealed class RotateManagerTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task AConcurrentRehashOfTheRow_DoesNotFailTheRotation_WhichRotatesTheRowStoredNow()
    {
        var inner = new InMemoryApiTokenStore();
        var store = new StampBumpingStore(inner);
        using var fixture = new ManagerFixture(store: store);
        var created = await fixture.CreateAsync(fixture.Root, "deploy");
        store.BumpBeforeNextUpdate = true;

        var result = await fixture.Manager.RotateAsync(fixture.Root.Id, "deploy", Hour);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.False(store.BumpBeforeNextUpdate);
        var stored = await inner.FindByNameAsync(fixture.Root.Id, "deploy", CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(result.Value.Token.Selector, stored.Selector);
        Assert.Equal(created.Token.Selector, stored.PreviousSelector);
        Assert.Equal(StampBumpingStore.RehashedHash, stored.PreviousSecretHash); // the hash stored now, not the one first read
    }

    [Fact]
    public async Task TwoRotationsAtOnce_TheSecondToWriteFails_AndTheValueTheFirstHandedOutStaysCurrent()
    {
        var inner = new InMemoryApiTokenStore();
        var store = new StampBumpingStore(inner);
        using var fixture = new ManagerFixture(store: store);
        await fixture.CreateAsync(fixture.Root, "deploy");
        ApiTokenResult<RotatedApiToken> competing = default;
        store.BeforeNextUpdate = async () => competing = await fixture.Manager.RotateAsync(fixture.Root.Id, "deploy");

        var late = await fixture.Manager.RotateAsync(fixture.Root.Id, "deploy");

        Assert.True(competing.Succeeded, competing.Error?.Message);
        Assert.False(late.Succeeded);
        Assert.Equal(ApiTokenErrorCode.ConcurrencyFailure, late.Error!.Code);
        var stored = await inner.FindByNameAsync(fixture.Root.Id, "deploy", CancellationToken.None);
        Assert.Equal(competing.Value.Token.Selector, stored!.Selector); // the value handed out is the one that works
        Assert.NotNull(await fixture.Manager.FindByPlaintextAsync(fixture.Root.Id, competing.Value.PlaintextToken));
    }

    [Fact]
    public async Task TheOldValue_NeverOutlivesTheToken()
    {
        using var fixture = new ManagerFixture();
        var expiresAt = ManagerFixture.Start + TimeSpan.FromMinutes(30);
        var created = await fixture.Manager.CreateAsync(fixture.Root.Id, new ApiTokenCreateRequest { Name = "short", ExpiresAt = expiresAt });
        Assert.True(created.Succeeded, created.Error?.Message);

        var rotated = await fixture.Manager.RotateAsync(fixture.Root.Id, "short", Hour);

        Assert.True(rotated.Succeeded, rotated.Error?.Message);
        Assert.Equal(expiresAt, rotated.Value.PreviousTokenExpiresAt);
        Assert.Equal(expiresAt, rotated.Value.Token.PreviousSecretExpiresAt);
    }

    [Fact]
    public async Task FindByPlaintext_FindsTheTokenByItsOldValue_WhileItIsLive_AndNotAfter()
    {
        using var fixture = new ManagerFixture();
        var old = (await fixture.CreateAsync(fixture.Root, "deploy")).PlaintextToken;
        var rotated = await fixture.Manager.RotateAsync(fixture.Root.Id, "deploy", Hour);
        Assert.True(rotated.Succeeded, rotated.Error?.Message);

        Assert.Equal("deploy", (await fixture.Manager.FindByPlaintextAsync(fixture.Root.Id, old))?.Name);
        Assert.Equal("deploy", (await fixture.Manager.FindByPlaintextAsync(fixture.Root.Id, rotated.Value.PlaintextToken))?.Name);
        Assert.Null(await fixture.Manager.FindByPlaintextAsync(fixture.Reseller.Id, old));

        fixture.Time.Advance(Hour);

        Assert.Null(await fixture.Manager.FindByPlaintextAsync(fixture.Root.Id, old));
        Assert.Equal("deploy", (await fixture.Manager.FindByPlaintextAsync(fixture.Root.Id, rotated.Value.PlaintextToken))?.Name);
    }

    /// <summary>Before the next update, writes the row again as a verifier's rehash would (a new hash and stamp).</summary>
    private sealed class StampBumpingStore(InMemoryApiTokenStore inner) : IApiTokenStore
    {
        public const string RehashedHash = "$argon2id$v=19$m=8,t=1,p=1$cmVoYXNoZWRzYWx0MTIz$cmVoYXNoZWRoYXNodmFsdWVyZWhhc2hlZGhhc2g";

        public bool BumpBeforeNextUpdate { get; set; }

        /// <summary>Runs once before the next update is forwarded (a competing writer).</summary>
        public Func<Task>? BeforeNextUpdate { get; set; }

        public Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken) => inner.CreateAsync(token, cancellationToken);

        public Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken) =>
            inner.FindBySelectorAsync(accountId, selector, cancellationToken);

        public Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken) =>
            inner.FindByNameAsync(accountId, name, cancellationToken);

        public Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken) =>
            inner.ListAsync(accountId, query, cancellationToken);

        public async Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken)
        {
            if (BeforeNextUpdate is { } before)
            {
                BeforeNextUpdate = null;
                await before();
            }

            if (BumpBeforeNextUpdate)
            {
                BumpBeforeNextUpdate = false;
                var current = await inner.FindByNameAsync(token.AccountId, token.Name, cancellationToken);
                var rehashed = current! with { SecretHash = RehashedHash, ConcurrencyStamp = Guid.NewGuid().ToString("N") };
                Assert.Equal(ApiTokenStoreResult.Success, await inner.UpdateAsync(rehashed, current.ConcurrencyStamp, cancellationToken));
            }

            return await inner.UpdateAsync(token, expectedConcurrencyStamp, cancellationToken);
        }

        public Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken) =>
            inner.DeleteAsync(accountId, tokenId, cancellationToken);

        public Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken) => inner.DeleteAllAsync(accountId, cancellationToken);
    }
}
