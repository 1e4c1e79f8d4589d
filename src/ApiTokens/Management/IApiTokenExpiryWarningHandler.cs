namespace ApiTokens;

/// <summary>
/// Told once per token and expiry when the token enters <c>ApiTokens:Policy:ExpiryWarning</c> before it expires, on one node
/// only, so a host can mail its owner. Register any number with <c>AddExpiryWarningHandler&lt;T&gt;()</c>. Exceptions are logged
/// and swallowed (the warning is not raised again).
/// </summary>
public interface IApiTokenExpiryWarningHandler
{
    /// <summary>Handles one warning.</summary>
    /// <param name="token">The token that will expire (its <see cref="ApiToken.ExpiresAt"/> is set). Never holds a secret worth logging; do not log its hash.</param>
    /// <param name="owner">The owning account, or <see langword="null"/> if it is gone.</param>
    /// <param name="cancellationToken">Cancelled when the app stops.</param>
    ValueTask OnExpiryWarningAsync(ApiToken token, ApiTokenAccount? owner, CancellationToken cancellationToken);
}
