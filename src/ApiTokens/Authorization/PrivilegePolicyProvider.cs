using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace ApiTokens.Authorization;

/// <summary>
/// Makes <c>[Authorize(Policy = "whm:list-accts")]</c> work for any known privilege without registering each
/// policy; every other name goes to the default provider.
/// </summary>
internal sealed class PrivilegePolicyProvider : IAuthorizationPolicyProvider
{
    private readonly DefaultAuthorizationPolicyProvider _fallback;
    private readonly PrivilegeCatalog _catalog;
    private readonly ConcurrentDictionary<string, AuthorizationPolicy> _policies = new(StringComparer.Ordinal);

    /// <summary>Creates the provider.</summary>
    public PrivilegePolicyProvider(IOptions<AuthorizationOptions> options, PrivilegeCatalog catalog)
    {
        _fallback = new DefaultAuthorizationPolicyProvider(options);
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
    }

    /// <inheritdoc />
    public async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        ArgumentNullException.ThrowIfNull(policyName);
        var registered = await _fallback.GetPolicyAsync(policyName).ConfigureAwait(false);
        if (registered is not null || !policyName.StartsWith(PrivilegePolicy.Prefix, StringComparison.Ordinal))
        {
            return registered;
        }

        var privilege = policyName[PrivilegePolicy.Prefix.Length..];
        if (!_catalog.Contains(privilege))
        {
            throw new InvalidOperationException(Messages.UnknownPolicyPrivilege(policyName, privilege));
        }

        // One requirement: PrivilegeAuthorizationHandler counts authenticated identities only, so an anonymous request
        // fails it and is challenged (401) exactly as with RequireAuthenticatedUser, one handler fewer per request.
        return _policies.GetOrAdd(privilege, static p => new AuthorizationPolicyBuilder().AddRequirements(new PrivilegeRequirement(p)).Build());
    }

    /// <summary>
    /// Always <see langword="true"/>: a name maps to the same policy for the app's lifetime, so the authorization
    /// middleware may cache the combined policy per endpoint (without it every request rebuilds the policy).
    /// </summary>
    public bool AllowsCachingPolicies => true;

    /// <inheritdoc />
    public Task<AuthorizationPolicy> GetDefaultPolicyAsync() => _fallback.GetDefaultPolicyAsync();

    /// <inheritdoc />
    public Task<AuthorizationPolicy?> GetFallbackPolicyAsync() => _fallback.GetFallbackPolicyAsync();
}
