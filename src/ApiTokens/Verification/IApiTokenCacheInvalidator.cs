namespace ApiTokens;

/// <summary>
/// Drops cached token and account state after a change. The default implementation clears this
/// node's verify cache; a backplane (for example <c>ApiTokens.Redis</c>) also carries the change to
/// every other node.
/// </summary>
public interface IApiTokenCacheInvalidator
{
    /// <summary>A token of <paramref name="accountId"/> with <paramref name="selector"/> changed or was revoked.</summary>
    ValueTask TokenChangedAsync(string accountId, string selector, CancellationToken cancellationToken);

    /// <summary>
    /// Something about <paramref name="accountId"/> changed (suspended, renamed, privileges, deleted,
    /// all tokens revoked): every cached token and account entry of it is dropped.
    /// </summary>
    ValueTask AccountChangedAsync(string accountId, CancellationToken cancellationToken);
}
