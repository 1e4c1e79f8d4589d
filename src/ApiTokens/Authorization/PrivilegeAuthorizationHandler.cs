using System.Security.Claims;
using ApiTokens.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Authorization;

/// <summary>
/// Succeeds each <see cref="PrivilegeRequirement"/> the request holds (the privilege, or <c>all</c>):
/// <list type="number">
/// <item>as a <see cref="WhmClaimTypes.Privilege"/> claim of an authenticated identity: how a whm token carries its
/// effective privileges. On a token request (an <c>Authorization: whm …</c> header, a credential a whm handler read another
/// way, or a token identity: <see cref="PrivilegeSchemes.IsTokenRequest"/>) only the token's identity counts;</item>
/// <item>otherwise, for a user signed in by the host's own scheme, through their account's current privileges
/// (<see cref="SignedInAccountPrivileges"/>): the same rules as a full-access token.</item>
/// </list>
/// Only authenticated identities count, so the privilege policies need no separate "authenticated user" requirement: an
/// anonymous request fails them and is challenged.
/// </summary>
/// <remarks>
/// Implements <see cref="IAuthorizationHandler"/> directly rather than <see cref="AuthorizationHandler{TRequirement}"/>:
/// this runs on every protected request, and the base class filters the requirements with LINQ on each call. A token request
/// is answered from its claims without allocating or awaiting.
/// </remarks>
internal sealed class PrivilegeAuthorizationHandler : IAuthorizationHandler
{
    private readonly PrivilegeSchemes _schemes;
    private readonly SignedInAccountPrivileges _accounts;

    public PrivilegeAuthorizationHandler(PrivilegeSchemes schemes, SignedInAccountPrivileges accounts)
    {
        _schemes = schemes ?? throw new ArgumentNullException(nameof(schemes));
        _accounts = accounts ?? throw new ArgumentNullException(nameof(accounts));
    }

    /// <inheritdoc />
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.Resource as HttpContext;
        var tokenOnly = http is not null && _schemes.IsTokenRequest(http);
        var unmet = 0;
        if (context.Requirements is IReadOnlyList<IAuthorizationRequirement> list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is PrivilegeRequirement requirement && !HandleByClaims(context, requirement, tokenOnly))
                {
                    unmet++;
                }
            }
        }
        else
        {
            foreach (var item in context.Requirements)
            {
                if (item is PrivilegeRequirement requirement && !HandleByClaims(context, requirement, tokenOnly))
                {
                    unmet++;
                }
            }
        }

        // A token request, a call outside a request, or everything held: nothing to look up.
        return unmet == 0 || tokenOnly || http is null || !HasSignedInIdentity(context.User)
            ? Task.CompletedTask
            : HandleByAccountAsync(context, http);
    }

    private async Task HandleByAccountAsync(AuthorizationHandlerContext context, HttpContext http)
    {
        var account = await _accounts.FindAsync(http, context.User).ConfigureAwait(false);
        if (account is null)
        {
            return;
        }

        foreach (var item in context.PendingRequirements.ToArray())
        {
            if (item is PrivilegeRequirement requirement && account.Holds(requirement.Privilege))
            {
                context.Succeed(requirement);
            }
        }
    }

    private bool HandleByClaims(AuthorizationHandlerContext context, PrivilegeRequirement requirement, bool tokenOnly)
    {
        if (Holds(context.User, requirement.Privilege, tokenOnly))
        {
            context.Succeed(requirement);
            return true;
        }

        return false;
    }

    private bool Holds(ClaimsPrincipal user, string privilege, bool tokenOnly)
    {
        foreach (var identity in user.Identities)
        {
            if (!identity.IsAuthenticated || (tokenOnly && !_schemes.IsTokenIdentity(identity)))
            {
                continue;
            }

            foreach (var claim in identity.Claims)
            {
                if (claim.Type == WhmClaimTypes.Privilege && (claim.Value == privilege || claim.Value == WhmPrivileges.All))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool HasSignedInIdentity(ClaimsPrincipal user)
    {
        foreach (var identity in user.Identities)
        {
            if (identity.IsAuthenticated && !_schemes.IsTokenIdentity(identity))
            {
                return true;
            }
        }

        return false;
    }
}
