using ApiTokens;
using ApiTokens.Page;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the "Manage API Tokens" page to the API token services.</summary>
public static class ApiTokensPageBuilderExtensions
{
    /// <summary>
    /// Adds what the page mapped by <c>app.MapApiTokensPage("/tokens")</c> needs: its options (checked at start-up) and ASP.NET
    /// Core antiforgery, which protects its state-changing calls. Calling it again adds nothing twice.
    /// </summary>
    /// <param name="builder">The builder returned by <c>services.AddApiTokens()</c>.</param>
    /// <returns>The same builder, to go on configuring.</returns>
    public static ApiTokensBuilder AddPage(this ApiTokensBuilder builder) => builder.AddPage(_ => { });

    /// <summary>Adds the page (see <see cref="AddPage(ApiTokensBuilder)"/>) with its options set by <paramref name="configure"/>.</summary>
    /// <param name="builder">The builder returned by <c>services.AddApiTokens()</c>.</param>
    /// <param name="configure">Sets the page's options: the user name claim, the sign-in schemes, the whm scheme and the title.</param>
    /// <returns>The same builder, to go on configuring.</returns>
    public static ApiTokensBuilder AddPage(this ApiTokensBuilder builder, Action<ApiTokensPageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<ApiTokensPageOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiTokensPageOptions>, ApiTokensPageOptionsValidator>());
        services.AddAntiforgery();
        services.TryAddSingleton<ApiTokensPageMarker>();
        return builder;
    }
}
