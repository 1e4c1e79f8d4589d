using System.Diagnostics.Metrics;
using ApiTokens.Redis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace ApiTokens.Redis.Tests;

/// <summary>
/// The backplane's instruments on each node's <c>ApiTokens</c> meter, over a real redis-server: a change published by A and
/// received by B, the status gauge, and an outage with the changes it holds back when Redis freezes.
/// </summary>
public sealed class MetricsTests
{
    private static MetricCollector<T> Collect<T>(WhmNode node, string instrument)
        where T : struct =>
        new(node.Services.GetRequiredService<IMeterFactory>(), "ApiTokens", instrument);

    private static int StatusOf(MetricCollector<int> status, string state)
    {
        status.RecordObservableInstruments();
        return status.GetMeasurementSnapshot().Last(m => (string?)m.Tags["apitokens.backplane.state"] == state).Value;
    }

    [SkippableFact]
    public async Task Revoke_OnA_IsPublishedAsAnAccountChange_OnA_AndReceived_OnB_WithNoAccountInTheTags()
    {
        await using var redis = await RedisServerProcess.StartNewAsync();
        await using var nodes = await TwoNodes.StartAsync(redis.Configuration);
        await nodes.WaitUntilConnectedAsync();
        var root = nodes.Accounts.Add("metricsroot", "all");
        using var published = Collect<long>(nodes.A, "apitokens.backplane.messages.published");
        using var received = Collect<long>(nodes.B, "apitokens.backplane.messages.received");
        using var status = Collect<int>(nodes.B, "apitokens.backplane.status");
        await nodes.A.CreateTokenAsync(root, "deploy", ["list-accts"]);
        await received.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(10)); // the create's own notice
        published.Clear();
        received.Clear();

        Assert.True((await nodes.A.WithManagerAsync(m => m.RevokeAsync(root.Id, "deploy"))).Value);
        await received.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(10));

        // The revoke's change (a create's notice still in flight may be counted with it: both are account changes).
        var sent = published.GetMeasurementSnapshot();
        Assert.NotEmpty(sent);
        Assert.All(sent, m => Assert.Equal("account_changed", m.Tags["apitokens.backplane.message.kind"]));
        var got = received.GetMeasurementSnapshot()[^1];
        Assert.Equal("account_changed", got.Tags["apitokens.backplane.message.kind"]);
        Assert.DoesNotContain(got.Tags.Values, v => v is string s && (s.Contains(root.Id, StringComparison.Ordinal) || s.Contains("metricsroot", StringComparison.Ordinal)));
        Assert.Equal(1, StatusOf(status, "connected"));
        Assert.Equal(0, StatusOf(status, "degraded"));
    }

    [SkippableFact]
    public async Task RedisFrozen_CountsOneOutage_TheStatusSaysDegraded_AndAChangeMadeMeanwhileIsPending()
    {
        RedisEnvironment.Require(!OperatingSystem.IsWindows(), "freezing redis-server needs kill -STOP (Linux or macOS).");
        await using var redis = await RedisServerProcess.StartNewAsync();
        await using var nodes = await TwoNodes.StartAsync(redis.Configuration);
        await nodes.WaitUntilConnectedAsync();
        var root = nodes.Accounts.Add("root", "all");
        await nodes.A.CreateTokenAsync(root, "deploy", ["list-accts"]);
        using var outages = Collect<long>(nodes.A, "apitokens.backplane.outages");
        using var status = Collect<int>(nodes.A, "apitokens.backplane.status");
        using var pending = Collect<int>(nodes.A, "apitokens.backplane.pending_changes");

        // The create's own change notice is published in the background: let it go out before Redis freezes.
        for (var waited = 0; waited < 100; waited++)
        {
            pending.RecordObservableInstruments();
            if (pending.LastMeasurement?.Value == 0)
            {
                break;
            }

            await Task.Delay(50);
        }

        await redis.FreezeAsync();
        try
        {
            await nodes.A.WaitForDegradedAsync(true, TimeSpan.FromSeconds(10));
            Assert.True((await nodes.A.WithManagerAsync(m => m.RevokeAsync(root.Id, "deploy"))).Value);

            Assert.Single(outages.GetMeasurementSnapshot());
            Assert.Equal(0, StatusOf(status, "connected"));
            Assert.Equal(1, StatusOf(status, "degraded") + StatusOf(status, "recovering")); // recovering: a probe is on its way
            pending.RecordObservableInstruments();
            Assert.Equal(1, pending.LastMeasurement!.Value);
        }
        finally
        {
            await redis.ThawAsync();
        }

        await nodes.A.WaitForDegradedAsync(false, TimeSpan.FromSeconds(30));
        Assert.Equal(1, StatusOf(status, "connected"));
    }
}
