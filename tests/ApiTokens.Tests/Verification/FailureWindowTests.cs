using ApiTokens.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Tests.Verification;

/// <summary>
/// The per-selector limit on wrong secrets checked with Argon2 is exact, and an account change does not reset it (issue 15:
/// 11 runs for a limit of 10 with concurrent wrong secrets; any api_token_update bought ten more).
/// </summary>
public sealed class FailureWindowTests
{
    /// <summary>Verifies wrong, holding each run until <see cref="Release"/> so runs overlap as they do under a flood.</summary>
    private sealed class HoldingHasher : IApiTokenHasher
    {
        private readonly Argon2ApiTokenHasher _inner = new(CountingHasher.TestParameters);
        private int _runs;

        public SemaphoreSlim Entered { get; } = new(0);

        public ManualResetEventSlim Release { get; } = new();

        public int Runs => Volatile.Read(ref _runs);

        public string Hash(string secret) => _inner.Hash(secret);

        public HashVerificationResult Verify(string hash, ReadOnlySpan<char> secret)
        {
            Interlocked.Increment(ref _runs);
            Entered.Release();
            Release.Wait(TimeSpan.FromSeconds(10));
            return _inner.Verify(hash, secret);
        }
    }

    private static (ServiceProvider Services, HashGate Gate) Build(IApiTokenHasher hasher, int limit, int slots)
    {
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(new FakeTimeProvider(ManagerFixture.Start))
            .AddSingleton(hasher)
            .AddLogging()
            .AddApiTokens(o =>
            {
                o.Verification.MaxConcurrentHashes = slots;
                o.Verification.MaxFailuresPerSelector = limit;
            })
            .AddInMemoryStore()
            .AddInMemoryAccounts()
            .Services
            .BuildServiceProvider();
        return (services, services.GetRequiredService<HashGate>());
    }

    [Fact]
    public async Task ConcurrentWrongSecrets_NeverRunMoreArgon2ThanTheLimit()
    {
        var hasher = new HoldingHasher();
        var (services, gate) = Build(hasher, limit: 3, slots: 4);
        await using var _ = services;
        var hash = new Argon2ApiTokenHasher(CountingHasher.TestParameters).Hash("RIGHTSECRETRIGHTSECRET24");

        // Two wrong secrets fail first; then four arrive together, with four slots free: only one place is left.
        hasher.Release.Set();
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(GateVerdict.Failed, await gate.VerifyAsync("acct", "SELECTOR", hash, "WRONG" + i, CancellationToken.None));
        }

        hasher.Release.Reset();
        var flood = Enumerable.Range(0, 4)
            .Select(i => Task.Run(async () => await gate.VerifyAsync("acct", "SELECTOR", hash, "FLOOD" + i, CancellationToken.None)))
            .ToArray();
        Assert.True(await hasher.Entered.WaitAsync(TimeSpan.FromSeconds(5)) && await hasher.Entered.WaitAsync(TimeSpan.FromSeconds(5)));
        await Task.Delay(200); // let the other three reach the gate (they are refused there, not held)
        hasher.Release.Set();
        var verdicts = await Task.WhenAll(flood);

        Assert.Equal(3, hasher.Runs);
        Assert.Equal(1, verdicts.Count(v => v == GateVerdict.Failed));
        Assert.Equal(3, verdicts.Count(v => v == GateVerdict.Throttled));
    }

    [Fact]
    public async Task AnAccountChange_DoesNotResetTheWindow()
    {
        var hasher = new CountingHasher();
        var (services, gate) = Build(hasher, limit: 2, slots: 1);
        await using var _ = services;
        var hash = hasher.Hash("RIGHTSECRETRIGHTSECRET24");
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(GateVerdict.Failed, await gate.VerifyAsync("acct", "SELECTOR", hash, "WRONG" + i, CancellationToken.None));
        }

        services.GetRequiredService<ApiTokenCacheControl>().ApplyAccountChange("acct"); // what any api_token_update does
        hasher.Reset();

        Assert.Equal(GateVerdict.Throttled, await gate.VerifyAsync("acct", "SELECTOR", hash, "WRONG3", CancellationToken.None));
        Assert.Equal(0, hasher.VerifyCalls);
    }
}
