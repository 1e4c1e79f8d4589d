using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ApiTokens.Redis.Internal;

/// <summary>
/// The backplane's answer to <c>AddApiTokensHealthChecks()</c>'s <c>apitokens.backplane</c> check (registered as a keyed
/// <see cref="IHealthCheck"/>): Healthy while connected, Degraded while Redis is lost, failing or silent (a missed heartbeat)
/// and until this node's probe comes back (state <c>recovering</c>: a probe is on its way, which it also is every probe
/// interval while Redis hangs). Never Unhealthy: tokens still verify on this node, from its store, and cached ones
/// are trusted for the degraded lifetime only, so the node is still correct; an orchestrator that took every node out of
/// service because Redis blinked would turn a Redis outage into a full one. Reads the link's state only: it never waits on Redis.
/// </summary>
internal sealed class RedisBackplaneHealthCheck(RedisApiTokenBackplane backplane) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = backplane.State;
        var pending = backplane.PendingChanges;
        var data = new Dictionary<string, object>
        {
            ["state"] = BackplaneMetrics.StateName(state),
            ["pending_changes"] = pending,
        };
        return Task.FromResult(state == BackplaneState.Connected
            ? HealthCheckResult.Healthy(Messages.BackplaneConnected, data)
            : HealthCheckResult.Degraded(Messages.BackplaneDegraded(backplane.DegradedCacheLifetime, pending), data: data));
    }
}
