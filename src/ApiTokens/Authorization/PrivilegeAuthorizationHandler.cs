using ApiTokens.Authentication;
using ApiTokens.Privileges;
using Microsoft.AspNetCore.Authorization;

namespace ApiTokens.Authorization;

/// <summary>Succeeds a <see cref="PrivilegeRequirement"/> when the user has that privilege claim or <c>all</c>.</summary>
public sealed class PrivilegeAuthorizationHandler : AuthorizationHandler<PrivilegeRequirement>
{
    private readonly PrivilegeCatalog _catalog;

    /// <summary>Creates the handler.</summary>
    public PrivilegeAuthorizationHandler(PrivilegeCatalog catalog) => _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));

    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PrivilegeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        if (!_catalog.Contains(requirement.Privilege))
        {
            throw new InvalidOperationException(
                $"The endpoint requires the privilege '{requirement.Privilege}', which is not in the privilege catalogue. " +
                "Fix the name, or register it in ApiTokenOptions.AdditionalPrivileges.");
        }

        foreach (var identity in context.User.Identities)
        {
            if (!identity.IsAuthenticated)
            {
                continue;
            }

            foreach (var claim in identity.Claims)
            {
                if (claim.Type == WhmClaimTypes.Privilege
                    && (claim.Value == requirement.Privilege || claim.Value == WhmPrivileges.All))
                {
                    context.Succeed(requirement);
                    return Task.CompletedTask;
                }
            }
        }

        return Task.CompletedTask;
    }
}
