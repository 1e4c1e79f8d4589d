using System.Diagnostics;
using System.Net;
using ApiTokens.Redis.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit.Abstractions;

namespace ApiTokens.Redis.Tests;

/// <summary>
/// The <c>apitokens.backplane</c> health check over a real redis-server: Degraded (never Unhealthy: tokens still verify here)
/// while Redis is down or frozen, noticed within the heartbeat's bound when it hangs, Healthy again once it is back; the app's
/// <c>/healthz</c> keeps answering 200 throughout.
/// </summary>
public sealed class HealthTests(ITestOutputHelper output)
{
    private const string ListAccts = "/json-api/listaccts";
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(30);

    private static Task<ApiTokensTestHost> StartAsync(string redis) =>
        new ApiTokensTestHostBuilder()
            .ConfigureApiTokens(b => b.AddRedisBackplane(redis, o =>
            {
                o.ChannelName = $"apitokens:test:{Guid.NewGuid():N}";
                o.ProbeInterval = TimeSpan.FromMilliseconds(200);
            }))
            .ConfigureServices(s => s.AddHealthChecks().AddApiTokensHealthChecks())
            .ConfigureApp(app =>
            {
                app.MapHealthChecks("/healthz").AllowAnonymous();
                app.MapGet(ListAccts, () => "accounts").RequirePrivilege("list-accts");
            })
            .StartAsync();

    private static async Task<HealthReportEntry> BackplaneAsync(ApiTokensTestHost host) =>
        (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["apitokens.backplane"];

    /// <summary>Checks until the backplane entry has <paramref name="status"/> (real time, bounded); returns how long it took.</summary>
    private static async Task<TimeSpan> WaitForAsync(ApiTokensTestHost host, HealthStatus status, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while ((await BackplaneAsync(host)).Status != status)
        {
            Assert.True(clock.Elapsed < within, $"the backplane check did not turn {status} within {within.TotalSeconds:F0} s");
            await Task.Delay(20);
        }

        return clock.Elapsed;
    }

    [SkippableFact]
    public async Task RedisFrozen_BackplaneCheckTurnsDegraded_WithinTheHeartbeatBound_HealthzStays200_AndHealthyAgainWhenThawed()
    {
        RedisEnvironment.Require(!OperatingSystem.IsWindows(), "freezing redis-server needs kill -STOP (Linux or macOS).");
        await using var redis = await RedisServerProcess.StartNewAsync();
        await using var host = await StartAsync(redis.Configuration);
        await WaitForAsync(host, HealthStatus.Healthy, Reconnect);
        using (var healthy = await host.Client.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
            Assert.Equal("Healthy", await healthy.Content.ReadAsStringAsync());
        }

        var options = new RedisBackplaneOptions();
        var bound = options.HeartbeatInterval + options.HeartbeatTimeout + TimeSpan.FromSeconds(2);
        await redis.FreezeAsync();
        try
        {
            var noticed = await WaitForAsync(host, HealthStatus.Degraded, bound);
            output.WriteLine($"Redis frozen: the backplane check turned Degraded after {noticed.TotalMilliseconds:F0} ms (bound {bound.TotalMilliseconds:F0} ms)");
            var entry = await BackplaneAsync(host);
            Assert.Contains("tokens still verify here", entry.Description, StringComparison.Ordinal);
            Assert.DoesNotContain(redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.Description, StringComparison.Ordinal);
            Assert.Contains(entry.Data["state"], new object[] { "degraded", "recovering" }); // recovering: a probe is on its way

            // Degraded is not down: /healthz still answers 200, and the store check is unaffected.
            using var degraded = await host.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, degraded.StatusCode);
            Assert.Equal("Degraded", await degraded.Content.ReadAsStringAsync());
        }
        finally
        {
            await redis.ThawAsync();
        }

        await WaitForAsync(host, HealthStatus.Healthy, Reconnect);
    }

    [SkippableFact]
    public async Task RedisDown_FromTheStart_BackplaneIsDegraded_NotUnhealthy_AndTokensStillVerify()
    {
        var redis = RedisServerProcess.Reserve(); // a free port with nothing listening
        await using var host = await StartAsync(redis.Configuration);
        var root = host.Accounts.Add("root", "all");
        var token = await host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        await host.CreateTokenAsync(root, "old", ["list-accts"]);
        Assert.True((await host.Manager.RevokeAsync(root.Id, "old")).Value); // changes that wait for Redis: two creates, a revoke

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal(HealthStatus.Degraded, report.Entries["apitokens.backplane"].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries["apitokens.store"].Status);
        Assert.Equal(3, report.Entries["apitokens.backplane"].Data["pending_changes"]);
        using var response = await host.GetAsync(ListAccts, "root", token.PlaintextToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
