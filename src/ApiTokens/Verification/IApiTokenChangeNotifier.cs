namespace ApiTokens;

/// <summary>
/// Told by <see cref="ApiTokenManager"/> whenever something about an account changed that a cached token may depend on: a token
/// created, renamed, limited, rotated or revoked (one or all), or the account itself suspended, renamed, given other privileges or
/// deleted. (A new token is noticed too: a node may remember that the account had no token with its selector.) The default applies
/// it to this node's verify
/// cache; a backplane (for example <c>ApiTokens.Redis</c>) also carries it to every other node.
/// </summary>
public interface IApiTokenChangeNotifier
{
    /// <summary>Every cached token of <paramref name="accountId"/> is dropped here (and, with a backplane, on every node).</summary>
    ValueTask AccountChangedAsync(string accountId, CancellationToken cancellationToken);
}
