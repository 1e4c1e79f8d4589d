using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;

namespace ApiTokens.Authorization;

/// <summary>
/// Builds the <c>whm:&lt;privilege&gt;</c> policies, once per privilege: the privilege requirement alone, with the schemes
/// <see cref="PrivilegeSchemes"/> chose. Both <see cref="PrivilegePolicyProvider"/> and <see cref="AuthorizationOptions"/>
/// (through <see cref="PrivilegePolicyRegistration"/>) hand out these same instances.
/// </summary>
internal sealed class PrivilegePolicies
{
    private readonly PrivilegeCatalog _catalog;
    private readonly PrivilegeSchemes _schemes;
    private readonly ConcurrentDictionary<string, AuthorizationPolicy> _policies = new(StringComparer.Ordinal);

    public PrivilegePolicies(PrivilegeCatalog catalog, PrivilegeSchemes schemes)
    {
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _schemes = schemes ?? throw new ArgumentNullException(nameof(schemes));
    }

    /// <summary>Every privilege's policy name and policy, in catalogue order.</summary>
    public IEnumerable<KeyValuePair<string, AuthorizationPolicy>> All =>
        _catalog.All.Select(p => KeyValuePair.Create(PrivilegePolicy.NameFor(p.Name), For(p.Name)));

    /// <summary>The policy named <paramref name="policyName"/> (which starts with <see cref="PrivilegePolicy.Prefix"/>).</summary>
    /// <exception cref="InvalidOperationException">The privilege is not in the catalogue.</exception>
    public AuthorizationPolicy ForName(string policyName)
    {
        var privilege = policyName[PrivilegePolicy.Prefix.Length..];
        if (!_catalog.Contains(privilege))
        {
            throw new InvalidOperationException(Messages.UnknownPolicyPrivilege(policyName, privilege));
        }

        return For(privilege);
    }

    // One requirement: PrivilegeAuthorizationHandler counts authenticated identities only, so an anonymous request fails it
    // and is challenged (401) exactly as with RequireAuthenticatedUser, one handler fewer per request.
    private AuthorizationPolicy For(string privilege) => _policies.GetOrAdd(privilege, static (p, schemes) =>
        new AuthorizationPolicyBuilder([.. schemes.PolicySchemes]).AddRequirements(new PrivilegeRequirement(p)).Build(), _schemes);
}
