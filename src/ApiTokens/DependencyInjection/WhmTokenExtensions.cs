using ApiTokens.Authentication;
using ApiTokens.Authorization;
using ApiTokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>whm</c> authentication scheme and per-privilege authorization.</summary>
public static class WhmTokenExtensions
{
    /// <summary>Adds the <c>whm</c> scheme with default options.</summary>
    public static AuthenticationBuilder AddWhmTokens(this AuthenticationBuilder builder) =>
        builder.AddWhmTokens(WhmTokenDefaults.AuthenticationScheme, _ => { });

    /// <summary>Adds the <c>whm</c> scheme, configured by <paramref name="configure"/>.</summary>
    public static AuthenticationBuilder AddWhmTokens(this AuthenticationBuilder builder, Action<WhmTokenOptions> configure) =>
        builder.AddWhmTokens(WhmTokenDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the scheme under <paramref name="authenticationScheme"/>.</summary>
    public static AuthenticationBuilder AddWhmTokens(this AuthenticationBuilder builder, string authenticationScheme, Action<WhmTokenOptions> configure) =>
        builder.AddWhmTokens(authenticationScheme, WhmTokenDefaults.DisplayName, configure);

    /// <summary>Adds the scheme under <paramref name="authenticationScheme"/> with a display name.</summary>
    public static AuthenticationBuilder AddWhmTokens(
        this AuthenticationBuilder builder, string authenticationScheme, string? displayName, Action<WhmTokenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        ArgumentNullException.ThrowIfNull(configure);

        var services = builder.Services;
        services.AddApiTokens();
        services.TryAddSingleton<ApiTokenCache>();

        // Replace only the no-op default with this node's cache: a backplane registered earlier
        // (for example ApiTokens.Redis) stays in place whatever the call order.
        foreach (var noop in services.Where(static d => d.ServiceType == typeof(IApiTokenCacheInvalidator)
            && d.ImplementationType == typeof(NullApiTokenCacheInvalidator)).ToList())
        {
            services.Remove(noop);
        }

        services.TryAddSingleton<IApiTokenCacheInvalidator>(sp => sp.GetRequiredService<ApiTokenCache>());
        services.TryAddSingleton<ApiTokenVerifier>();
        services.AddPrivilegeAuthorization();
        services.AddOptions<WhmTokenOptions>(authenticationScheme).Validate(
            o =>
            {
                o.Validate();
                return true;
            });
        return builder.AddScheme<WhmTokenOptions, WhmTokenHandler>(authenticationScheme, displayName, configure);
    }

    /// <summary>
    /// Adds per-privilege authorization: the <c>whm:&lt;privilege&gt;</c> policy provider, the requirement handler,
    /// 403 bodies that name the missing privilege, and a start-up check of endpoint privilege names.
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
