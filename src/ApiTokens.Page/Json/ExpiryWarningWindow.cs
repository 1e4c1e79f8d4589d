namespace ApiTokens.Page;

/// <summary>
/// Which tokens the page highlights as expiring soon: not expired at <paramref name="Now"/>, and expiring within
/// <paramref name="Warning"/> (<c>ApiTokens:Policy:ExpiryWarning</c>; 0 highlights none).
/// </summary>
/// <param name="Now">The server's time of the answer.</param>
/// <param name="Warning">How long before its expiry a token is highlighted.</param>
internal readonly record struct ExpiryWarningWindow(DateTimeOffset Now, TimeSpan Warning)
{
    public bool ExpiresSoon(ApiToken token) =>
        Warning > TimeSpan.Zero && token.ExpiresAt is { } expiresAt && !token.IsExpiredAt(Now) && expiresAt - Now <= Warning;
}
