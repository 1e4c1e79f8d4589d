using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace ApiTokens.Tests.Diagnostics;

/// <summary>
/// The hash gate's instruments while Argon2 is saturated: the queue length, the time waited, the busy refusal; and the usage
/// writer's flushes. Services only (no server): the gate is driven directly, as the verifier and the manager drive it.
/// </summary>
public sealed class HashGateMetricsTests
{
    /// <summary>Holds each run until <see cref="Release"/> is set, so a second run must queue behind it.</summary>
    internal sealed class HoldingHasher : IApiTokenHasher
    {
        private readonly Argon2ApiTokenHasher _inner = new(CountingHasher.TestParameters);

        public SemaphoreSlim Entered { get; } = new(0);

        public ManualResetEventSlim Release { get; } = new();

        public string Hash(string secret)
        {
            Entered.Release();
            Release.Wait(TimeSpan.FromSeconds(30));
            return _inner.Hash(secret);
        }

        public HashVerificationResult Verify(string hash, ReadOnlySpan<char> secret)
        {
            Entered.Release();
            Release.Wait(TimeSpan.FromSeconds(30));
            return _inner.Verify(hash, secret);
        }
    }

    internal static ApiTokensTestServices Build(IApiTokenHasher hasher, TimeSpan queueTimeout) =>
        new ApiTokensTestHostBuilder()
            .ConfigureOptions(o =>
            {
                o.Verification.MaxConcurrentHashes = 1;
                o.Verification.HashQueueTimeout = queueTimeout;
            })
            .ConfigureServices(s => s.AddMetrics().AddSingleton(hasher))
            .BuildServices();

    [Fact]
    public async Task SecondHash_WhileTheOnlySlotIsHeld_CountsInTheQueue_ThenIsRefusedBusy_WithItsWaitRecorded()
    {
        var hasher = new HoldingHasher();
        await using var services = Build(hasher, TimeSpan.FromMilliseconds(300));
        var factory = services.Services.GetRequiredService<IMeterFactory>();
        var gate = services.Services.GetRequiredService<HashGate>();
        using var queue = new MetricCollector<int>(factory, "ApiTokens", "apitokens.hashing.queue.length");
        using var active = new MetricCollector<int>(factory, "ApiTokens", "apitokens.hashing.active");
        using var refusals = new MetricCollector<long>(factory, "ApiTokens", "apitokens.hashing.refusals");
        using var waits = new MetricCollector<double>(factory, "ApiTokens", "apitokens.hashing.queue.duration");

        var first = Task.Run(async () => await gate.HashAsync("FIRSTSECRET", CancellationToken.None));
        Assert.True(await hasher.Entered.WaitAsync(TimeSpan.FromSeconds(10)));
        var second = gate.HashAsync("SECONDSECRET", CancellationToken.None).AsTask();

        queue.RecordObservableInstruments();
        active.RecordObservableInstruments();
        Assert.Equal(1, queue.LastMeasurement!.Value);
        Assert.Equal(1, active.LastMeasurement!.Value);

        Assert.Null(await second); // no slot within the queue timeout: busy, nothing hashed
        var refusal = Assert.Single(refusals.GetMeasurementSnapshot());
        Assert.Equal("busy", refusal.Tags["apitokens.hashing.refusal_reason"]);
        Assert.Equal("hash", refusal.Tags["apitokens.hashing.operation"]);
        var timedOut = Assert.Single(waits.GetMeasurementSnapshot(), m => (string?)m.Tags["apitokens.hashing.queue.result"] == "timed_out");
        Assert.True(timedOut.Value >= 0.25, $"waited {timedOut.Value} s");

        hasher.Release.Set();
        Assert.NotNull(await first);
        queue.RecordObservableInstruments();
        active.RecordObservableInstruments();
        Assert.Equal(0, queue.LastMeasurement!.Value);
        Assert.Equal(0, active.LastMeasurement!.Value);
    }

    [Fact]
    public async Task UsageFlush_CountsOneSuccessfulFlush_AndTheUsesItWrote()
    {
        await using var services = new ApiTokensTestHostBuilder().ConfigureServices(s => s.AddMetrics()).BuildServices();
        var factory = services.Services.GetRequiredService<IMeterFactory>();
        using var flushes = new MetricCollector<long>(factory, "ApiTokens", "apitokens.usage.flushes");
        using var records = new MetricCollector<long>(factory, "ApiTokens", "apitokens.usage.records");
        var root = services.Accounts.Add("root", "all");
        var created = await services.CreateTokenAsync(root, "deploy");
        services.Services.GetRequiredService<UsageTracker>().Note(created.Token, services.Time.GetUtcNow().UtcTicks, System.Net.IPAddress.Loopback);

        var writer = services.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<UsageWriter>().Single();
        Assert.Equal(0, await writer.FlushAsync(CancellationToken.None));

        Assert.Equal("success", Assert.Single(flushes.GetMeasurementSnapshot()).Tags["apitokens.usage.flush.result"]);
        Assert.Equal(1, Assert.Single(records.GetMeasurementSnapshot()).Value);
    }
}
