using ApiTokens.Page;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the services the "Manage API Tokens" page needs.</summary>
public static class ApiTokensPageServiceCollectionExtensions
{
    /// <summary>Adds the page's options and ASP.NET Core antiforgery (which protects its state-changing calls).</summary>
    public static IServiceCollection AddApiTokensPage(this IServiceCollection services) => services.AddApiTokensPage(_ => { });

    /// <summary>Adds the page's options, configured by <paramref name="configure"/>, and ASP.NET Core antiforgery.</summary>
    public static IServiceCollection AddApiTokensPage(this IServiceCollection services, Action<ApiTokensPageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<ApiTokensPageOptions>().Configure(configure);
        services.AddAntiforgery();
        services.TryAddSingleton<ApiTokensPageMarker>();
        return services;
    }
}
