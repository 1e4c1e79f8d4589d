using ApiTokens.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers per-privilege authorization.</summary>
public static class PrivilegeAuthorizationServiceCollectionExtensions
{
    /// <summary>
    /// Adds per-privilege authorization: the <c>whm:&lt;privilege&gt;</c> policies, the requirement handler, 403 bodies that
    /// name the missing privilege, antiforgery (signed-in users need a token on unsafe requests, see
    /// <see cref="PrivilegeAuthorizationOptions.RequireAntiforgeryForSignedInUsers"/>), and a start-up check of endpoint privilege names. <c>AddWhmTokens</c> calls it; a second
    /// call changes nothing.
    /// </summary>
    /// <remarks>
    /// The host's authorization services are composed, never replaced: an <see cref="IAuthorizationPolicyProvider"/> or
    /// <see cref="IAuthorizationMiddlewareResultHandler"/> registered before this call is wrapped (it keeps its lifetime and
    /// answers everything but <c>whm:</c> names and the privilege 403 body). The privilege policies are also added to
    /// <see cref="AuthorizationOptions"/>, so a policy provider registered after this call answers them as long as it passes
    /// the names it does not know to a <see cref="DefaultAuthorizationPolicyProvider"/>.
    /// </remarks>
    public static IServiceCollection AddPrivilegeAuthorization(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAuthorization();
        services.AddOptions<PrivilegeAuthorizationOptions>();
        services.AddAntiforgery();
        services.TryAddSingleton<PrivilegeSchemes>();
        services.TryAddSingleton<PrivilegePolicies>();
        services.TryAddSingleton<SignedInAccountPrivileges>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<AuthorizationOptions>, PrivilegePolicyRegistration>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, PrivilegeAuthorizationHandler>());
        ServiceDecoration.Decorate<IAuthorizationPolicyProvider>(
            services,
            (sp, inner) => new PrivilegePolicyProvider(inner, sp.GetRequiredService<PrivilegePolicies>()),
            sp => new DefaultAuthorizationPolicyProvider(sp.GetRequiredService<IOptions<AuthorizationOptions>>()));
        ServiceDecoration.Decorate<IAuthorizationMiddlewareResultHandler>(
            services,
            (sp, inner) => new PrivilegeResultHandler(inner, sp.GetRequiredService<PrivilegeSchemes>(), sp.GetService<IRouteRefusals>()),
            _ => new AuthorizationMiddlewareResultHandler());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, PrivilegeEndpointValidator>());
        return services;
    }

    /// <summary>
    /// Adds per-privilege authorization (see <see cref="AddPrivilegeAuthorization(IServiceCollection)"/>) and configures how a
    /// user signed in by the host's own scheme maps to an account: <c>o =&gt; o.UserNameClaimType = "preferred_username"</c>.
    /// </summary>
    public static IServiceCollection AddPrivilegeAuthorization(this IServiceCollection services, Action<PrivilegeAuthorizationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        return services.AddPrivilegeAuthorization();
    }
}
