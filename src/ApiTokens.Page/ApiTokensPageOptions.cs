using System.Security.Claims;
using ApiTokens.Authentication;

namespace ApiTokens.Page;

/// <summary>
/// Options for the "Manage API Tokens" page mapped by <c>MapApiTokensPage</c>, set with <c>AddPage(o => …)</c> on the
/// <c>AddApiTokens()</c> builder and checked at start-up.
/// </summary>
public sealed class ApiTokensPageOptions
{
    /// <summary>
    /// The claim whose value is the signed-in user's name, resolved to an account through
    /// <see cref="IApiTokenAccountProvider.FindByUserNameAsync"/>. Default <see cref="ClaimTypes.Name"/>.
    /// </summary>
    public string UserNameClaimType { get; set; } = ClaimTypes.Name;

    /// <summary>
    /// Schemes tried, in order, when the request's default authentication (<c>HttpContext.User</c>) did not sign
    /// anyone in; the first one is also challenged when nobody is signed in. Empty (the default): the host's
    /// default schemes only.
    /// </summary>
    public IList<string> AuthenticationSchemes { get; } = [];

    /// <summary>
    /// The scheme that authenticates <c>Authorization: whm user:token</c> on the page's JSON endpoints, so scripts
    /// can use them too. Default <see cref="WhmTokenDefaults.AuthenticationScheme"/>; <see langword="null"/> turns it off.
    /// </summary>
    public string? TokenAuthenticationScheme { get; set; } = WhmTokenDefaults.AuthenticationScheme;

    /// <summary>The page's heading and title. Default <c>API Tokens</c>, as WHM's table.</summary>
    public string Title { get; set; } = PageMessages.DefaultTitle;
}
