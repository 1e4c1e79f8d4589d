namespace ApiTokens.Authentication;

/// <summary>Default values for the <c>whm</c> authentication scheme.</summary>
public static class WhmTokenDefaults
{
    /// <summary>The scheme name and the word in <c>Authorization: whm user:token</c>.</summary>
    public const string AuthenticationScheme = "whm";

    /// <summary>The display name.</summary>
    public const string DisplayName = "WHM API token";

    /// <summary>
    /// The response header every answer to a request authenticated with an expiring token carries: its expiry as an HTTP date
    /// (<c>ApiToken-Expiration: Sun, 15 Feb 2026 10:30:00 GMT</c>), as GitHub's <c>GitHub-Authentication-Token-Expiration</c>.
    /// A token that never expires gets none.
    /// </summary>
    public const string ExpirationHeaderName = "ApiToken-Expiration";
}
