using System.Security.Claims;
using ApiTokens.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace ApiTokens.Authorization;

/// <summary>
/// Succeeds each <see cref="PrivilegeRequirement"/> whose privilege (or <c>all</c>) an authenticated identity of the
/// user holds as a <see cref="WhmClaimTypes.Privilege"/> claim. Only authenticated identities count, so the privilege
/// policies need no separate "authenticated user" requirement: an anonymous request fails them and is challenged.
/// </summary>
/// <remarks>
/// Implements <see cref="IAuthorizationHandler"/> directly rather than <see cref="AuthorizationHandler{TRequirement}"/>:
/// this runs on every protected request, and the base class filters the requirements with LINQ on each call.
/// </remarks>
internal sealed class PrivilegeAuthorizationHandler : IAuthorizationHandler
{
    /// <inheritdoc />
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Requirements is IReadOnlyList<IAuthorizationRequirement> list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is PrivilegeRequirement requirement)
                {
                    Handle(context, requirement);
                }
            }
        }
        else
        {
            foreach (var item in context.Requirements)
            {
                if (item is PrivilegeRequirement requirement)
                {
                    Handle(context, requirement);
                }
            }
        }

        return Task.CompletedTask;
    }

    private static void Handle(AuthorizationHandlerContext context, PrivilegeRequirement requirement)
    {
        if (Holds(context.User, requirement.Privilege))
        {
            context.Succeed(requirement);
        }
    }

    private static bool Holds(ClaimsPrincipal user, string privilege)
    {
        foreach (var identity in user.Identities)
        {
            if (!identity.IsAuthenticated)
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
}
