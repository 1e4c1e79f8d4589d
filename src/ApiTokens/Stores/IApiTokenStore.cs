
namespace ApiTokens;

/// <summary>
/// Persists API tokens. Implementations enforce uniqueness of (account, name) and (account, selector),
/// compare exactly (case-sensitive) and never see a plaintext secret. The rules live in
/// <see cref="ApiTokenManager"/>, not here.
/// </summary>
public interface IApiTokenStore
{
    /// <summary>Adds a token. Returns <see cref="ApiTokenStoreResult.DuplicateName"/> or
    /// <see cref="ApiTokenStoreResult.DuplicateSelector"/> instead of throwing when a unique key is taken.</summary>
    Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken);

    /// <summary>
    /// Adds every token of <paramref name="tokens"/>, or none: <see cref="ApiTokenStoreResult.Success"/> when all are stored;
    /// otherwise the first <see cref="ApiTokenStoreResult.DuplicateName"/> or <see cref="ApiTokenStoreResult.DuplicateSelector"/>
    /// (against the stored tokens or another token of the list), with nothing stored. <c>tokens import-whm</c> stores a file with it.
    /// </summary>
    /// <remarks>
    /// The default adds them one by one with <see cref="CreateAsync"/> and, when one fails (or throws), deletes the ones it added.
    /// That undo is best effort: when it fails too the default throws with the tokens it could not remove, and the importer names
    /// them. A store that can write them in one transaction should override it; the stores of this library do, and the store
    /// specification suite (<c>ApiTokens.Testing</c>) checks that nothing is left behind.
    /// </remarks>
    Task<ApiTokenStoreResult> CreateManyAsync(IReadOnlyList<ApiToken> tokens, CancellationToken cancellationToken) =>
        SequentialCreate.RunAsync(this, tokens, cancellationToken);

    /// <summary>
    /// Finds a token by its owner and selector (the verify lookup), or <see langword="null"/>: the token whose
    /// <see cref="ApiToken.Selector"/> is <paramref name="selector"/> or, failing that, whose <see cref="ApiToken.PreviousSelector"/>
    /// is (a rotated token's previous value, during its grace period and after: the caller checks the time). Exact comparison.
    /// </summary>
    Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken);

    /// <summary>Finds a token by its owner and exact name, or <see langword="null"/>.</summary>
    Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken);

    /// <summary>Lists an account's tokens ordered by name (ordinal), filtered and paged.</summary>
    Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a token (matched by <see cref="ApiToken.Id"/>) if its stored stamp still equals
    /// <paramref name="expectedConcurrencyStamp"/>; <paramref name="token"/> carries the new stamp. The stored
    /// <see cref="ApiToken.LastUsedAt"/> and <see cref="ApiToken.LastUsedIp"/> stay as they are (only
    /// <see cref="RecordUsageAsync"/> moves them), and so does <see cref="ApiToken.ExpiryWarnedFor"/> (only
    /// <see cref="TryMarkExpiryWarnedAsync"/> moves it). The previous-value columns (<see cref="ApiToken.PreviousSelector"/>,
    /// <see cref="ApiToken.PreviousSecretHash"/>, <see cref="ApiToken.PreviousSecretExpiresAt"/>) are written as given; a new
    /// selector or previous selector that another token of the account holds (as either) is <see cref="ApiTokenStoreResult.DuplicateSelector"/>.
    /// </summary>
    Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken);

    /// <summary>Deletes one token of an account. Returns whether it existed.</summary>
    Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken);

    /// <summary>Deletes every token of an account in one operation. Returns how many were deleted.</summary>
    Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether any token of any account has a selector that starts with <paramref name="prefix"/> (compared exactly). The verifier
    /// asks it when the app starts and every <see cref="ApiTokenOptions.LegacyTokenRefreshInterval"/> with the prefix <c>~</c>, to
    /// learn whether tokens imported from cPanel are stored (see docs/legacy-credentials.md); only then does it look them up.
    /// </summary>
    /// <remarks>
    /// The default answers <see langword="false"/> without asking anything, so a store (or a decorator) that does not implement it
    /// still compiles, but finds imported tokens only on the node that imported them, until it restarts. The store specification
    /// suite (<c>ApiTokens.Testing</c>) checks it. It may read the whole table: it runs a few times an hour per node, never per request.
    /// </remarks>
    Task<bool> AnySelectorStartsWithAsync(string prefix, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>
    /// Records when and from where tokens were last used: for each entry whose token still exists (matched by
    /// <see cref="ApiTokenUsage.AccountId"/> and <see cref="ApiTokenUsage.TokenId"/>), sets <see cref="ApiToken.LastUsedAt"/> and
    /// <see cref="ApiToken.LastUsedIp"/> if <see cref="ApiTokenUsage.UsedAt"/> is later than the stored time (or none is stored),
    /// so on many nodes the latest use wins. It never changes <see cref="ApiToken.ConcurrencyStamp"/> (a concurrent update still
    /// succeeds) and never brings back a deleted token. The background usage writer calls it at most once per
    /// <c>ApiTokens:Usage:WriteInterval</c>, with at most one entry per token, in batches.
    /// </summary>
    /// <remarks>
    /// The default does nothing, so a store (or a decorator) that does not implement it still compiles and works; its tokens just
    /// never show a last use. A decorator should forward it to the store it wraps. The stores of this library write a batch in one lock (in memory) or one transaction (EF Core), and
    /// the store specification suite (<c>ApiTokens.Testing</c>) checks the rules above.
    /// </remarks>
    Task RecordUsageAsync(IReadOnlyList<ApiTokenUsage> usages, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Every token of every account whose <see cref="ApiToken.Selector"/> or <see cref="ApiToken.PreviousSelector"/> is exactly
    /// <paramref name="selector"/> (a selector is unique per account only). Leak revocation (<c>MapLeakedTokenRevocation</c>) asks it
    /// for each reported value that has the token format, before any Argon2 run; a value no row matches costs nothing more.
    /// </summary>
    /// <remarks>
    /// The default answers an empty list, so a store that does not implement it still compiles, but reported leaks of its tokens are
    /// never revoked (the endpoint logs that once). The stores of this library use an index; the store specification suite checks it.
    /// </remarks>
    Task<IReadOnlyList<ApiToken>> FindAllBySelectorAsync(string selector, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ApiToken>>([]);

    /// <summary>
    /// Up to <paramref name="limit"/> tokens of any account that expire after <paramref name="after"/> and no later than
    /// <paramref name="until"/> and have not been warned for that expiry (<see cref="ApiToken.ExpiryWarnedFor"/> is not their
    /// <see cref="ApiToken.ExpiresAt"/>), soonest expiry first. The expiry-warning service asks it every few minutes.
    /// </summary>
    /// <remarks>The default answers an empty list: a store that does not implement it raises no expiry warnings.</remarks>
    Task<IReadOnlyList<ApiToken>> ListExpiringAsync(DateTimeOffset after, DateTimeOffset until, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ApiToken>>([]);

    /// <summary>
    /// Marks that the warning for <paramref name="expiresAt"/> was raised for a token: sets <see cref="ApiToken.ExpiryWarnedFor"/>
    /// to it if the token still exists, still expires at exactly that time and was not marked for it yet, without changing
    /// <see cref="ApiToken.ConcurrencyStamp"/>. Returns whether this call set it, atomically, so of many nodes exactly one raises the
    /// warning.
    /// </summary>
    /// <remarks>The default answers <see langword="false"/>: nothing is marked, nothing is raised.</remarks>
    Task<bool> TryMarkExpiryWarnedAsync(string accountId, Guid tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        Task.FromResult(false);
}
