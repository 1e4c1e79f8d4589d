namespace ApiTokens.Testing;

/// <summary>
/// The <see cref="IApiTokenStore"/> contract, for every store: ours and a third party's (as ASP.NET Core
/// Identity ships its specification tests). Derive a test class, implement the three hooks, and xunit runs
/// every test here against that store. The tests talk to the store itself and, for a few end-to-end checks,
/// to the <see cref="ApiTokenManager"/> over it; they need nothing of the store's technology.
/// </summary>
/// <remarks>
/// <para>
/// Each test uses fresh account ids, so the tests of one class can share one database: keep it in an
/// <c>IClassFixture</c> and hand it to the derived class's constructor.
/// </para>
/// <para>
/// A backend that is not there (no server configured) can skip: call <c>Skip.If</c> (Xunit.SkippableFact)
/// from <see cref="CreateStore"/> and <see cref="AddStore"/>; every test calls one of them first.
/// </para>
/// <example>
/// <code>
/// public sealed class MyStoreTests(MyDatabase db) : ApiTokenStoreSpecificationTests, IClassFixture&lt;MyDatabase&gt;
/// {
///     protected override IApiTokenStore CreateStore() => new MyStore(db.OpenConnection());
///     protected override void AddStore(ApiTokensBuilder builder) => builder.AddMyStore(db.ConnectionString);
///     protected override Task&lt;IReadOnlyList&lt;string&gt;&gt; ReadStoredRecordsAsync(string accountId) => db.SelectAllAsTextAsync(accountId);
/// }
/// </code>
/// </example>
/// </remarks>
public abstract partial class ApiTokenStoreSpecificationTests
{
    private static CancellationToken Ct => CancellationToken.None;

    /// <summary>
    /// A new store over the shared data, on a context and connection of its own, as another request or
    /// another node would have. Tests call it several times and use the stores side by side (also from
    /// several threads at once); the fixture disposes what it hands out.
    /// </summary>
    protected abstract IApiTokenStore CreateStore();

    /// <summary>
    /// Registers the store over the same data as <see cref="CreateStore"/>, the way an app would, for the
    /// tests that go through <see cref="ApiTokenManager"/>. It can be called again to "restart" the app.
    /// </summary>
    protected abstract void AddStore(ApiTokensBuilder builder);

    /// <summary>
    /// Every stored field of every token of <paramref name="accountId"/>, one string per token, read
    /// around the store (for a database: <c>SELECT *</c> of the rows, every column as text). The suite
    /// checks that no plaintext token or secret ever reaches storage.
    /// </summary>
    protected abstract Task<IReadOnlyList<string>> ReadStoredRecordsAsync(string accountId);

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
