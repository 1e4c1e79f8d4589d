using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApiTokens.Authorization;

/// <summary>
/// Puts every <c>whm:&lt;privilege&gt;</c> policy in <see cref="AuthorizationOptions"/>, so a host's own
/// <see cref="IAuthorizationPolicyProvider"/> registered after <c>AddWhmTokens</c> still answers them when it passes names it
/// does not know to a <see cref="DefaultAuthorizationPolicyProvider"/> (the pattern ASP.NET documents). Without the token core
/// (no catalogue) it adds nothing: the core's own start-up check names the missing call.
/// </summary>
internal sealed class PrivilegePolicyRegistration(IServiceProvider services) : IPostConfigureOptions<AuthorizationOptions>
{
    public void PostConfigure(string? name, AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (services.GetService<PrivilegeCatalog>() is null)
        {
            return;
        }

        foreach (var (policyName, policy) in services.GetRequiredService<PrivilegePolicies>().All)
        {
            if (options.GetPolicy(policyName) is null)
            {
                options.AddPolicy(policyName, policy);
            }
        }
    }
}
