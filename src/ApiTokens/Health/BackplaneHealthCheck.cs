using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ApiTokens;

/// <summary>
/// The backplane's own check when a backplane package registered one (a keyed <see cref="IHealthCheck"/> under
/// <see cref="ApiTokensHealthCheckOptions.BackplaneServiceKey"/>: the Redis backplane does), otherwise Healthy with "no
/// backplane". Resolved at each check, so the order of <c>AddRedisBackplane</c> and <c>AddApiTokensHealthChecks</c> does not matter.
/// </summary>
internal sealed class BackplaneHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        services.GetKeyedService<IHealthCheck>(ApiTokensHealthCheckOptions.BackplaneServiceKey) is { } backplane
            ? backplane.CheckHealthAsync(context, cancellationToken)
            : Task.FromResult(HealthCheckResult.Healthy(Messages.NoBackplane));
}
