using Microsoft.AspNetCore.Authorization;

namespace ApiTokens.Authorization;

/// <summary>
/// Decorates the host's <see cref="IAuthorizationPolicyProvider"/> (or the <see cref="DefaultAuthorizationPolicyProvider"/>):
/// answers <c>whm:&lt;privilege&gt;</c> names for every privilege in the catalogue, and passes every other name, the default
/// policy and the fallback policy to the provider it wraps.
/// </summary>
internal sealed class PrivilegePolicyProvider : IAuthorizationPolicyProvider
{
    private readonly IAuthorizationPolicyProvider _inner;
    private readonly PrivilegePolicies _policies;

    public PrivilegePolicyProvider(IAuthorizationPolicyProvider inner, PrivilegePolicies policies)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _policies = policies ?? throw new ArgumentNullException(nameof(policies));
    }

    /// <summary>The provider this one wraps.</summary>
    /// <inheritdoc />
    public Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        ArgumentNullException.ThrowIfNull(policyName);
        return policyName.StartsWith(PrivilegePolicy.Prefix, StringComparison.Ordinal)
            ? Task.FromResult<AuthorizationPolicy?>(_policies.ForName(policyName))
            : _inner.GetPolicyAsync(policyName);
    }

    /// <summary>
    /// What the wrapped provider says: the privilege policies never change for a name, so the authorization middleware may
    /// cache the combined policy per endpoint exactly when the host's provider allows it.
    /// </summary>
    public bool AllowsCachingPolicies => _inner.AllowsCachingPolicies;

    /// <inheritdoc />
    public Task<AuthorizationPolicy> GetDefaultPolicyAsync() => _inner.GetDefaultPolicyAsync();

    /// <inheritdoc />
    public Task<AuthorizationPolicy?> GetFallbackPolicyAsync() => _inner.GetFallbackPolicyAsync();
}
