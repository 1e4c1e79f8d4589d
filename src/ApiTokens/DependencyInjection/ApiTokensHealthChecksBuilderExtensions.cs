using ApiTokens;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds the API token health checks: <c>services.AddHealthChecks().AddApiTokensHealthChecks()</c>, then map them with
/// <c>app.MapHealthChecks("/healthz")</c>. The token core comes from <c>services.AddApiTokens()</c>; this call does not add it.
/// </summary>
public static class ApiTokensHealthChecksBuilderExtensions
{
    private static readonly TimeSpan InMemoryCheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Adds the store, hashing and backplane checks with their default options (see <see cref="ApiTokensHealthCheckOptions"/>).</summary>
    /// <param name="builder">The builder <c>services.AddHealthChecks()</c> returned.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHealthChecksBuilder AddApiTokensHealthChecks(this IHealthChecksBuilder builder) =>
        builder.AddApiTokensHealthChecks(_ => { });

    /// <summary>
    /// Adds three checks, each answering within a bound: <see cref="ApiTokensHealthCheckOptions.StoreCheckName"/> (Unhealthy
    /// when the token store fails or hangs), <see cref="ApiTokensHealthCheckOptions.HashingCheckName"/> (Degraded while Argon2
    /// runs queue) and <see cref="ApiTokensHealthCheckOptions.BackplaneCheckName"/> (Degraded while the backplane cannot reach the
    /// other nodes: never Unhealthy, since tokens still verify here). Calling it again adds no second set; its
    /// <paramref name="configure"/> is applied as well.
    /// </summary>
    /// <param name="builder">The builder <c>services.AddHealthChecks()</c> returned.</param>
    /// <param name="configure">Sets the store timeout, the queue length that degrades, and tags.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHealthChecksBuilder AddApiTokensHealthChecks(this IHealthChecksBuilder builder, Action<ApiTokensHealthCheckOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        var services = builder.Services;
        services.AddOptions<ApiTokensHealthCheckOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiTokensHealthCheckOptions>, ApiTokensHealthCheckOptionsValidator>());
        if (services.Any(d => d.ServiceType == typeof(StoreHealthCheck)))
        {
            return builder;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StoreHealthCheck>();
        services.TryAddSingleton<HashingHealthCheck>();
        services.AddOptions<HealthCheckServiceOptions>().Configure<IOptions<ApiTokensHealthCheckOptions>>((health, options) =>
        {
            var o = options.Value;
            health.Registrations.Add(new HealthCheckRegistration(
                ApiTokensHealthCheckOptions.StoreCheckName,
                sp => sp.GetRequiredService<StoreHealthCheck>(),
                HealthStatus.Unhealthy,
                o.Tags,
                o.StoreTimeout + InMemoryCheckTimeout)); // a backstop: the check bounds itself to StoreTimeout on the app's clock
            health.Registrations.Add(new HealthCheckRegistration(
                ApiTokensHealthCheckOptions.HashingCheckName,
                sp => sp.GetRequiredService<HashingHealthCheck>(),
                HealthStatus.Degraded,
                o.Tags,
                InMemoryCheckTimeout));
            health.Registrations.Add(new HealthCheckRegistration(
                ApiTokensHealthCheckOptions.BackplaneCheckName,
                sp => new BackplaneHealthCheck(sp),
                HealthStatus.Degraded,
                o.Tags,
                InMemoryCheckTimeout));
        });
        return builder;
    }
}
