using ApiTokens.Authentication;
using ApiTokens.Authorization;
using ApiTokens.Whm;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
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

    /// <summary>
    /// Adds the scheme under <paramref name="authenticationScheme"/> with a display name, and the per-privilege policies. The
    /// token core comes from <c>services.AddApiTokens()</c>; this call does not add it. The options are read first from the
    /// configuration section <c>Authentication:Schemes:{authenticationScheme}</c> (as JwtBearer reads its own: for example
    /// <c>Authentication:Schemes:whm:MaxHeaderLength</c>), then <paramref name="configure"/> runs, so code wins. They are
    /// validated when the host starts.
    /// </summary>
    public static AuthenticationBuilder AddWhmTokens(
        this AuthenticationBuilder builder, string authenticationScheme, string? displayName, Action<WhmTokenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        ArgumentNullException.ThrowIfNull(configure);

        builder.Services.AddPrivilegeAuthorization();
        builder.Services.AddOptions<WhmApiOptions>();
        builder.Services.TryAddSingleton<IRouteRefusals, WhmRouteRefusals>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, WhmTokenStartupCheck>());
        builder.Services.TryAddSingleton(sp => new WhmTokenLogging(sp.GetRequiredService<ILoggerFactory>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<WhmTokenOptions>, WhmTokenConfigureOptions>(
            sp => new WhmTokenConfigureOptions(sp.GetService<IAuthenticationConfigurationProvider>())));
        builder.AddScheme<WhmTokenOptions, WhmTokenHandler>(authenticationScheme, displayName, configure);

        // ASP.NET validates scheme options at the scheme's first use; validate them when the host starts instead.
        builder.Services.AddOptions<WhmTokenOptions>(authenticationScheme).ValidateOnStart();
        return builder;
    }
}
