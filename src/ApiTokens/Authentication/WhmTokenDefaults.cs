namespace ApiTokens.Authentication;

/// <summary>Default values for the <c>whm</c> authentication scheme.</summary>
public static class WhmTokenDefaults
{
    /// <summary>The scheme name and the word in <c>Authorization: whm user:token</c>.</summary>
    public const string AuthenticationScheme = "whm";

    /// <summary>The display name.</summary>
    public const string DisplayName = "WHM API token";
}
