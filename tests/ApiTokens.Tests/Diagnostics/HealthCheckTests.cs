using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ApiTokens.Tests.Diagnostics;

/// <summary>
/// <c>AddHealthChecks().AddApiTokensHealthChecks()</c>: the store check is Unhealthy when the store throws or hangs (within the
/// store timeout on the app's clock, with one query at a time against a hung store), the hashing check Degraded while Argon2
/// runs queue or were refused busy, the backplane check Healthy with no backplane; no answer repeats an exception's text.
/// </summary>
public sealed class HealthCheckTests
{
    /// <summary>Answers like the store it wraps, except the health probe's read, which faults or waits for <see cref="Release"/>.</summary>
    private sealed class ProbeStore(IApiTokenStore inner) : IApiTokenStore
    {
        private int _probes;

        public Exception? Fault { get; set; }

        public TaskCompletionSource<ApiToken?>? Hang { get; set; }

        public int Probes => Volatile.Read(ref _probes);

        public SemaphoreSlim Probed { get; } = new(0);

        public Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken)
        {
            if (accountId != StoreHealthCheck.ProbeAccountId)
            {
                return inner.FindBySelectorAsync(accountId, selector, cancellationToken);
            }

            Interlocked.Increment(ref _probes);
            Probed.Release();
            return Fault is { } fault ? throw fault : Hang is { } hang ? hang.Task : inner.FindBySelectorAsync(accountId, selector, cancellationToken);
        }

        public Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken) => inner.CreateAsync(token, cancellationToken);

        public Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken) =>
            inner.FindByNameAsync(accountId, name, cancellationToken);

        public Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken) =>
            inner.ListAsync(accountId, query, cancellationToken);

        public Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken) =>
            inner.UpdateAsync(token, expectedConcurrencyStamp, cancellationToken);

        public Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken) =>
            inner.DeleteAsync(accountId, tokenId, cancellationToken);

        public Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken) => inner.DeleteAllAsync(accountId, cancellationToken);
    }

    private static (ApiTokensTestServices Services, ProbeStore Store) Build(Action<ApiTokenOptions>? configure = null)
    {
        ProbeStore? store = null;
        var services = new ApiTokensTestHostBuilder()
            .ConfigureOptions(o => configure?.Invoke(o))
            .WrapStore((_, inner) => store = new ProbeStore(inner))
            .ConfigureServices(s => s.AddHealthChecks().AddApiTokensHealthChecks(o => o.StoreTimeout = TimeSpan.FromSeconds(2)))
            .BuildServices();
        _ = services.Store; // resolves the wrapper
        return (services, store!);
    }

    private static Task<HealthReport> CheckAsync(ApiTokensTestServices services) =>
        services.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    private static HealthCheckContext Context(IHealthCheck check) => new() { Registration = new HealthCheckRegistration("test", check, null, null) };

    [Fact]
    public async Task AllChecks_AreHealthy_WhenTheStoreAnswers_AndThereIsNoBackplane()
    {
        var (services, store) = Build();
        await using var _ = services;

        var report = await CheckAsync(services);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(["apitokens.backplane", "apitokens.hashing", "apitokens.store"], report.Entries.Keys.Order());
        Assert.Contains("No backplane", report.Entries["apitokens.backplane"].Description, StringComparison.Ordinal);
        Assert.Equal(1, store.Probes);
    }

    [Fact]
    public async Task FaultingStore_IsUnhealthy_WithoutTheFaultsTextInTheAnswer_AndLoggedOnceUntilItRecovers()
    {
        var (services, store) = Build();
        await using var _ = services;
        store.Fault = new ApiTokenStoreUnavailableException("Host=db.internal;Password=hunter2 refused the connection");

        var first = await CheckAsync(services);
        var second = await CheckAsync(services);

        Assert.Equal(HealthStatus.Unhealthy, first.Status);
        var entry = first.Entries["apitokens.store"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.DoesNotContain("hunter2", entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("db.internal", entry.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, first.Entries["apitokens.hashing"].Status);
        Assert.Equal(HealthStatus.Unhealthy, second.Status);
        Assert.Equal(1, services.Log.Count(1801));

        store.Fault = null;
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(services)).Status);
        Assert.Equal(1, services.Log.Count(1802));
    }

    [Fact]
    public async Task HungStore_IsUnhealthy_AfterTheStoreTimeoutOnTheAppsClock_AndLaterChecksWaitOnTheSameQuery()
    {
        var (services, store) = Build();
        await using var _ = services;
        store.Hang = new TaskCompletionSource<ApiToken?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var check = services.Services.GetRequiredService<StoreHealthCheck>();

        var pending = check.CheckHealthAsync(Context(check));
        Assert.False(pending.IsCompleted);
        services.Time.Advance(TimeSpan.FromSeconds(2));
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("did not answer within 2 s", result.Description, StringComparison.Ordinal);
        Assert.True(await store.Probed.WaitAsync(TimeSpan.FromSeconds(10)));

        // The hung query still runs: the next check waits on it rather than sending another one to the stuck store.
        var again = check.CheckHealthAsync(Context(check));
        services.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HealthStatus.Unhealthy, (await again.WaitAsync(TimeSpan.FromSeconds(30))).Status);
        Assert.Equal(1, store.Probes);

        store.Hang.SetResult(null);
        store.Hang = null;
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(Context(check)).WaitAsync(TimeSpan.FromSeconds(30))).Status);
        Assert.Equal(1, services.Log.Count(1801));
        Assert.Equal(1, services.Log.Count(1802));
    }

    [Fact]
    public async Task Hashing_IsDegraded_WhileARunQueuesForTheOnlySlot_AndHealthyOnceItDrains()
    {
        var hasher = new HashGateMetricsTests.HoldingHasher();
        await using var services = new ApiTokensTestHostBuilder()
            .ConfigureOptions(o => o.Verification.MaxConcurrentHashes = 1)
            .ConfigureServices(s => s.AddSingleton<IApiTokenHasher>(hasher).AddHealthChecks().AddApiTokensHealthChecks())
            .BuildServices();
        var gate = services.Services.GetRequiredService<HashGate>();
        var check = services.Services.GetRequiredService<HashingHealthCheck>();

        var first = Task.Run(async () => await gate.HashAsync("FIRSTSECRET", CancellationToken.None));
        Assert.True(await hasher.Entered.WaitAsync(TimeSpan.FromSeconds(10)));
        var second = gate.HashAsync("SECONDSECRET", CancellationToken.None).AsTask();

        var saturated = await check.CheckHealthAsync(Context(check));
        Assert.Equal(HealthStatus.Degraded, saturated.Status);
        Assert.Equal(1, saturated.Data["queued"]);
        Assert.Equal(1, saturated.Data["slots"]);
        Assert.Equal(1, services.Log.Count(1803));

        hasher.Release.Set();
        Assert.NotNull(await first);
        Assert.NotNull(await second);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(Context(check))).Status);
        Assert.Equal(1, services.Log.Count(1804));
    }

    [Fact]
    public async Task Hashing_IsDegraded_ForTheBusyWindow_AfterARunFoundNoSlotInTime()
    {
        var hasher = new HashGateMetricsTests.HoldingHasher();
        await using var services = new ApiTokensTestHostBuilder()
            .ConfigureOptions(o =>
            {
                o.Verification.MaxConcurrentHashes = 1;
                o.Verification.HashQueueTimeout = TimeSpan.FromMilliseconds(100);
            })
            .ConfigureServices(s => s.AddSingleton<IApiTokenHasher>(hasher).AddHealthChecks().AddApiTokensHealthChecks(o => o.BusyWindow = TimeSpan.FromMinutes(1)))
            .BuildServices();
        var gate = services.Services.GetRequiredService<HashGate>();
        var check = services.Services.GetRequiredService<HashingHealthCheck>();
        var first = Task.Run(async () => await gate.HashAsync("FIRSTSECRET", CancellationToken.None));
        Assert.True(await hasher.Entered.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(await gate.HashAsync("SECONDSECRET", CancellationToken.None));
        hasher.Release.Set();
        Assert.NotNull(await first);

        var busy = await check.CheckHealthAsync(Context(check));
        services.Time.Advance(TimeSpan.FromMinutes(1));
        var later = await check.CheckHealthAsync(Context(check));

        Assert.Equal(HealthStatus.Degraded, busy.Status);
        Assert.Contains("no free slot in time", busy.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, later.Status);
    }

    [Fact]
    public void StoreTimeout_OutOfRange_FailsAtStart_NamingTheSetting()
    {
        var builder = new ApiTokensTestHostBuilder()
            .ConfigureServices(s => s.AddHealthChecks().AddApiTokensHealthChecks(o => o.StoreTimeout = TimeSpan.Zero));

        var error = Assert.ThrowsAny<Exception>(() => builder.BuildServices());

        Assert.Contains("StoreTimeout", error.Message, StringComparison.Ordinal);
    }
}
