namespace ApiTokens.Authentication;

/// <summary>Default values for the <c>whm</c> authentication scheme.</summary>
public static class WhmTokenDefaults
{
    /// <summary>The scheme name and the word in <c>Authorization: whm user:token</c>.</summary>
    public const string AuthenticationScheme = "whm";

    /// <summary>The display name.</summary>
    public const string DisplayName = "WHM API token";

    /// <summary>
    /// Whether an <c>Authorization</c> header value uses the <c>whm</c> word (case-insensitive, then a space or
    /// nothing), for example to forward such requests to this scheme from a policy scheme.
    /// </summary>
    public static bool IsWhmAuthorization(string? headerValue) =>
        headerValue is not null
        && headerValue.StartsWith(AuthenticationScheme, StringComparison.OrdinalIgnoreCase)
        && (headerValue.Length == AuthenticationScheme.Length || headerValue[AuthenticationScheme.Length] == ' ');

    /// <summary>Whether any of the request's <c>Authorization</c> values uses the <c>whm</c> word.</summary>
    public static bool IsWhmAuthorization(Microsoft.Extensions.Primitives.StringValues headerValues)
    {
        foreach (var value in headerValues)
        {
            if (IsWhmAuthorization(value))
            {
                return true;
            }
        }

        return false;
    }
}
