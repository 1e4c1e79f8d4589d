using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace ApiTokens.Authorization;

/// <summary>
/// Puts every <c>whm:&lt;privilege&gt;</c> policy in <see cref="AuthorizationOptions"/>, so a host's own
/// <see cref="IAuthorizationPolicyProvider"/> registered after <c>AddWhmTokens</c> still answers them when it passes names it
/// does not know to a <see cref="DefaultAuthorizationPolicyProvider"/> (the pattern ASP.NET documents).
/// </summary>
internal sealed class PrivilegePolicyRegistration(PrivilegePolicies policies) : IPostConfigureOptions<AuthorizationOptions>
{
    public void PostConfigure(string? name, AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (policyName, policy) in policies.All)
        {
            if (options.GetPolicy(policyName) is null)
            {
                options.AddPolicy(policyName, policy);
            }
        }
    }
}
