namespace ApiTokens.Authentication;

/// <summary>
/// Claim types on a <c>whm</c> principal, besides <see cref="System.Security.Claims.ClaimTypes.Name"/>
/// (the user name) and <see cref="System.Security.Claims.ClaimTypes.NameIdentifier"/> (the account id).
/// </summary>
public static class WhmClaimTypes
{
    /// <summary>One claim per effective privilege.</summary>
    public const string Privilege = "whm:privilege";

    /// <summary>The token's name.</summary>
    public const string TokenName = "whm:token_name";

    /// <summary><c>true</c> when the token has full access (no privilege list of its own).</summary>
    public const string FullAccess = "whm:full_access";

    /// <summary>
    /// <c>true</c>, and present only then, when the request was authenticated with a rotated token's previous value during its
    /// grace period. Such a request keeps the token's privileges for the host's own endpoints, but the token calls
    /// (<c>api_token_create</c>, <c>_update</c>, <c>_revoke</c>, <c>_rotate</c>) and the page's changes refuse it: a value being
    /// retired cannot mint or extend credentials.
    /// </summary>
    public const string PreviousValue = "whm:previous_value";
}
