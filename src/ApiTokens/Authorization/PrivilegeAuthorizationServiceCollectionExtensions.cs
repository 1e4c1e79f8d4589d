using ApiTokens.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers per-privilege authorization.</summary>
public static class PrivilegeAuthorizationServiceCollectionExtensions
{
    /// <summary>
    /// Adds per-privilege authorization: the <c>whm:&lt;privilege&gt;</c> policy provider, the requirement handler, 403 bodies
    /// that name the missing privilege, and a start-up check of endpoint privilege names. <c>AddWhmTokens</c> calls it; a second
    /// call changes nothing.
    /// </summary>
    public static IServiceCollection AddPrivilegeAuthorization(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAuthorization();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, PrivilegeAuthorizationHandler>());
        services.Replace(ServiceDescriptor.Singleton<IAuthorizationPolicyProvider, PrivilegePolicyProvider>());
        services.Replace(ServiceDescriptor.Singleton<IAuthorizationMiddlewareResultHandler, PrivilegeForbiddenResultHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, PrivilegeEndpointValidator>());
        return services;
    }
}
