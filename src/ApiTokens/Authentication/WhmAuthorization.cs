using Microsoft.Extensions.Primitives;

namespace ApiTokens.Authentication;

/// <summary>
/// Recognises the <c>whm</c> word in an <c>Authorization</c> header (case-insensitive, then a space or nothing), for example to
/// forward such requests to the <c>whm</c> scheme from a policy scheme: <c>ForwardDefaultSelector = c =&gt;
/// WhmAuthorization.IsWhm(c.Request.Headers.Authorization) ? "whm" : "Cookies"</c>.
/// </summary>
public static class WhmAuthorization
{
    /// <summary>Whether <paramref name="headerValue"/> uses the <c>whm</c> word.</summary>
    public static bool IsWhm(string? headerValue) => headerValue is not null && IsWhm(headerValue.AsSpan());

    /// <summary>Whether any of the request's <c>Authorization</c> values uses the <c>whm</c> word.</summary>
    public static bool IsWhm(StringValues headerValues)
    {
        foreach (var value in headerValues)
        {
            if (IsWhm(value))
            {
                return true;
            }
        }

        return false;
    }

    internal static bool IsWhm(ReadOnlySpan<char> headerValue)
    {
        var word = WhmTokenDefaults.AuthenticationScheme;
        return headerValue.Length >= word.Length
            && headerValue[..word.Length].Equals(word, StringComparison.OrdinalIgnoreCase)
            && (headerValue.Length == word.Length || headerValue[word.Length] == ' ');
    }
}
