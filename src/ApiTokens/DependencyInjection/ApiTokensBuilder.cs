using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens;

/// <summary>Configures the API token services: choose a store and an account provider.</summary>
public sealed class ApiTokensBuilder
{
    /// <summary>Creates a builder over <paramref name="services"/>.</summary>
    public ApiTokensBuilder(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        Services = services;
    }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }
}
