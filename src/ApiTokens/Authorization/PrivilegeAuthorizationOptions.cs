using System.Security.Claims;

namespace ApiTokens.Authorization;

/// <summary>
/// How a user signed in by the host's own scheme (a cookie, JwtBearer, …) is mapped to an account on privilege endpoints.
/// Such a user holds their account's current privileges there, found through <see cref="IApiTokenAccountProvider"/>:
/// <c>services.Configure&lt;PrivilegeAuthorizationOptions&gt;(o =&gt; o.UserNameClaimType = "preferred_username")</c>.
/// </summary>
public sealed class PrivilegeAuthorizationOptions
{
    /// <summary>
    /// The claim of the signed-in identity that holds the account's user name, looked up with
    /// <see cref="IApiTokenAccountProvider.FindByUserNameAsync"/>. Default: <see cref="ClaimTypes.Name"/>.
    /// </summary>
    public string UserNameClaimType { get; set; } = ClaimTypes.Name;

    /// <summary>
    /// Reads the account's user name from the signed-in principal instead of <see cref="UserNameClaimType"/>; return
    /// <see langword="null"/> for a principal that has no account. Only called for identities that do not come from a whm
    /// token (tokens carry their privileges as claims).
    /// </summary>
    public Func<ClaimsPrincipal, string?>? UserNameSelector { get; set; }

    /// <summary>
    /// Whether signed-in users of the host's schemes hold their account's privileges on privilege endpoints. Default
    /// <see langword="true"/>; with <see langword="false"/> only <see cref="Authentication.WhmClaimTypes.Privilege"/> claims count.
    /// </summary>
    public bool SignedInUsersHoldAccountPrivileges { get; set; } = true;

    /// <summary>
    /// Whether a signed-in user of the host's schemes needs a valid antiforgery token (the form field or the header
    /// <see cref="Microsoft.AspNetCore.Antiforgery.IAntiforgery"/> checks) to hold their account's privileges on an unsafe
    /// request: anything but GET, HEAD, OPTIONS and TRACE. Without it they hold nothing there, so another site cannot make
    /// their browser, which sends the cookie along, call a privilege endpoint. Default <see langword="true"/>; set
    /// <see langword="false"/> only when the host protects itself otherwise (SameSite=Strict cookies, its own checks). Requests
    /// with a whm token are unaffected. GET endpoints must not change state for signed-in users.
    /// </summary>
    public bool RequireAntiforgeryForSignedInUsers { get; set; } = true;
}
