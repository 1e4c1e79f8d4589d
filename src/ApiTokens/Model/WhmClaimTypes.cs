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
}
