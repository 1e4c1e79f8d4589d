using ApiTokens.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Tests.Verification;

/// <summary>
/// Every Argon2 run goes through one gate: hashing a new secret at create waits for the same slots as authentication, and a
/// create that cannot get one in time changes nothing.
/// </summary>
public sealed class HashGateTests
{
    private sealed class BlockingHasher : IApiTokenHasher
    {
        private readonly Argon2ApiTokenHasher _inner = new(CountingHasher.TestParameters);

        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Release { get; } = new(true);

        public int Runs;

        public string Hash(string secret)
        {
            Interlocked.Increment(ref Runs);
            Entered.Set();
            Release.Wait(TimeSpan.FromSeconds(30));
            return _inner.Hash(secret);
        }

        public HashVerificationResult Verify(string hash, ReadOnlySpan<char> secret)
        {
            Interlocked.Increment(ref Runs);
            Entered.Set();
            Release.Wait(TimeSpan.FromSeconds(30));
            return _inner.Verify(hash, secret);
        }
    }

    private static ServiceProvider Build(BlockingHasher hasher) =>
        new ServiceCollection()
            .AddSingleton<TimeProvider>(new FakeTimeProvider(ManagerFixture.Start))
            .AddSingleton<IApiTokenHasher>(hasher)
            .AddLogging()
            .AddApiTokens(o =>
            {
                o.Verification.MaxConcurrentHashes = 1;
                o.Verification.HashQueueTimeout = TimeSpan.FromMilliseconds(200);
            })
            .AddInMemoryStore()
            .AddInMemoryAccounts()
            .Services
            .BuildServiceProvider();

    [Fact]
    public async Task Create_WaitsForTheSameSlotsAsVerification_AndWhenNoneFreesUp_IsBusy_AndStoresNothing()
    {
        var hasher = new BlockingHasher();
        await using var provider = Build(hasher);
        var root = provider.GetRequiredService<InMemoryAccountProvider>().Add("root", "all");
        using var scope = provider.CreateScope();
        var manager = scope.ServiceProvider.GetRequiredService<ApiTokenManager>();
        var first = (await manager.CreateAsync(root.Id, new ApiTokenCreateRequest { Name = "first" })).Value!;

        // Hold the only slot with a verification (api_token_get_details goes through the gate too).
        hasher.Release.Reset();
        hasher.Entered.Reset();
        var details = Task.Run(() => manager.FindByPlaintextAsync(root.Id, first.PlaintextToken));
        Assert.True(hasher.Entered.Wait(TimeSpan.FromSeconds(30)));

        var runsBefore = hasher.Runs;
        using var otherScope = provider.CreateScope();
        var busy = await otherScope.ServiceProvider.GetRequiredService<ApiTokenManager>()
            .CreateAsync(root.Id, new ApiTokenCreateRequest { Name = "second" });

        Assert.False(busy.Succeeded);
        Assert.Equal(ApiTokenErrorCode.Busy, busy.Error!.Code);
        Assert.Equal(runsBefore, hasher.Runs); // no Argon2 ran for it
        hasher.Release.Set();
        Assert.NotNull(await details);
        Assert.Null(await manager.FindByNameAsync(root.Id, "second"));

        // With the slot free again the same create works.
        Assert.True((await manager.CreateAsync(root.Id, new ApiTokenCreateRequest { Name = "second" })).Succeeded);
    }

    [Fact]
    public async Task RunOnce_WhenTheWorkThrows_LeavesNoFlightBehind_SoTheNextCallerRunsAgain()
    {
        await using var provider = Build(new BlockingHasher());
        var gate = provider.GetRequiredService<HashGate>();

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            gate.RunOnceAsync<int>("k", 0, static _ => throw new InvalidOperationException("boom")));

        var ran = false;
        var result = await gate.RunOnceAsync("k", 0, _ =>
        {
            ran = true;
            return Task.FromResult(ApiTokenVerificationResult.Fail(ApiTokenFailureReason.UnknownToken));
        }).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(ran);
        Assert.Equal(ApiTokenFailureReason.UnknownToken, result.FailureReason);
    }
}
