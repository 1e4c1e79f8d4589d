using ApiTokens.Authorization;
using Microsoft.AspNetCore.Authorization;

namespace ApiTokens.OpenApi;

/// <summary>The privileges an endpoint's metadata requires, as the authorization middleware would enforce them.</summary>
internal static class EndpointPrivileges
{
    /// <summary>
    /// Every privilege the metadata requires, in order and once each: <see cref="RequirePrivilegeAttribute"/> (what
    /// <c>.RequirePrivilege(...)</c> adds), any other <see cref="IAuthorizeData"/> naming a <c>whm:</c> policy, and the
    /// <see cref="PrivilegeRequirement"/>s of <see cref="AuthorizationPolicy"/> objects (<c>MapWhmTokenApi</c>). None when the
    /// endpoint allows anonymous access, which wins over every requirement.
    /// </summary>
    public static IReadOnlyList<string> Of(IEnumerable<object> metadata)
    {
        var privileges = new List<string>();
        foreach (var item in metadata)
        {
            switch (item)
            {
                case IAllowAnonymous:
                    return [];
                case RequirePrivilegeAttribute attribute:
                    Add(privileges, attribute.Privilege);
                    break;
                case IAuthorizeData data when PrivilegePolicy.TryGetPrivilege(data.Policy, out var privilege):
                    Add(privileges, privilege);
                    break;
                case AuthorizationPolicy authorizationPolicy:
                    foreach (var requirement in authorizationPolicy.Requirements.OfType<PrivilegeRequirement>())
                    {
                        Add(privileges, requirement.Privilege);
                    }

                    break;
            }
        }

        return privileges;
    }

    private static void Add(List<string> privileges, string privilege)
    {
        if (!privileges.Contains(privilege, StringComparer.Ordinal))
        {
            privileges.Add(privilege);
        }
    }
}
