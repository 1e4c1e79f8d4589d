using System.Security.Claims;
using ApiTokens.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Authorization;

/// <summary>
/// Which authentication schemes the privilege policies name, read once from <see cref="IAuthenticationSchemeProvider"/> when
/// the first privilege policy is built.
/// </summary>
/// <remarks>
/// <para>
/// ASP.NET authenticates a policy with the schemes it names (or, when it names none, uses <c>HttpContext.User</c> from the
/// default scheme), and challenges or forbids with those same schemes. A privilege endpoint must accept a whm token whatever
/// the host's default scheme is, and keep the host's own sign-in working, so:
/// </para>
/// <list type="bullet">
/// <item>the default authenticate scheme is a whm scheme, or a policy scheme (the host forwards per request itself), or there
/// are no whm schemes: the policies name no scheme, exactly as any <c>[Authorize]</c>;</item>
/// <item>there is no default scheme: the policies name the whm scheme(s);</item>
/// <item>the default is another scheme (a cookie, JwtBearer, …): the policies name it and the whm scheme(s), so both
/// authenticate, and <see cref="PrivilegeResultHandler"/> then challenges or forbids only the one that fits the request
/// (<see cref="PicksPerRequest"/>): the whm scheme on a token request (<see cref="IsTokenRequest"/>: an
/// <c>Authorization: whm …</c> header, or a credential a whm handler read another way), the host's default otherwise.</item>
/// </list>
/// </remarks>
internal sealed class PrivilegeSchemes
{
    private readonly IAuthenticationSchemeProvider? _provider;
    private volatile Snapshot? _snapshot;

    public PrivilegeSchemes(IServiceProvider services) =>
        _provider = (IAuthenticationSchemeProvider?)services.GetService(typeof(IAuthenticationSchemeProvider));

    /// <summary>The whm schemes, in registration order.</summary>
    public IReadOnlyList<string> Whm => Current.Whm;

    /// <summary>The schemes every privilege policy names (empty: none).</summary>
    public IReadOnlyList<string> PolicySchemes => Current.Policy;

    /// <summary>Whether the policies name both the host's default and the whm scheme(s), so the result handler picks one.</summary>
    public bool PicksPerRequest => Current.PicksPerRequest;

    /// <summary>
    /// Whether <paramref name="context"/> is a token request, where only the token counts: it carries an
    /// <c>Authorization: whm …</c> header, or a whm handler read a credential from it (delivered some other way through
    /// <see cref="WhmTokenEvents.OnMessageReceived"/>, verified or not), or it holds an authenticated token identity.
    /// </summary>
    public bool IsTokenRequest(HttpContext context)
    {
        return WhmAuthorization.IsWhm(context.Request.Headers.Authorization)
            || WhmTokenHandler.ReadCredential(context)
            || HasTokenIdentity(context.User);
    }

    /// <summary>Whether <paramref name="user"/> holds an authenticated token identity.</summary>
    public bool HasTokenIdentity(ClaimsPrincipal user)
    {
        foreach (var identity in user.Identities)
        {
            if (identity.IsAuthenticated && IsTokenIdentity(identity))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="identity"/> comes from a whm token (a token-name claim, or a whm scheme's type).</summary>
    public bool IsTokenIdentity(System.Security.Claims.ClaimsIdentity identity)
    {
        if (identity.AuthenticationType is { } type)
        {
            var whm = Current.Whm;
            for (var i = 0; i < whm.Length; i++)
            {
                if (string.Equals(whm[i], type, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return identity.HasClaim(static c => c.Type == WhmClaimTypes.TokenName);
    }

    private Snapshot Current => _snapshot ??= Read();

    private Snapshot Read()
    {
        if (_provider is null)
        {
            return new Snapshot([], [], false);
        }

        // AuthenticationSchemeProvider answers synchronously; a custom provider is asked once, at the first policy.
        var all = _provider.GetAllSchemesAsync().GetAwaiter().GetResult();
        var whm = all.Where(s => typeof(WhmTokenHandler).IsAssignableFrom(s.HandlerType)).Select(s => s.Name).ToArray();
        if (whm.Length == 0)
        {
            return new Snapshot(whm, [], false);
        }

        var host = _provider.GetDefaultAuthenticateSchemeAsync().GetAwaiter().GetResult();
        if (host is null)
        {
            return new Snapshot(whm, whm, false);
        }

        if (whm.Contains(host.Name, StringComparer.Ordinal) || typeof(PolicySchemeHandler).IsAssignableFrom(host.HandlerType))
        {
            return new Snapshot(whm, [], false);
        }

        // The host's scheme first: ASP.NET merges later principals in front, so on a whm request User.Identity is the token's.
        return new Snapshot(whm, [host.Name, .. whm], true);
    }

    private sealed record Snapshot(string[] Whm, string[] Policy, bool PicksPerRequest);
}
