using System.Net;
using ApiTokens.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Tests.Verification;

/// <summary>A change that returns while a verification is under way still takes effect for every later request.</summary>
public sealed class WhmConcurrentChangeTests
{
    private sealed class GatedHasher : IApiTokenHasher
    {
        private readonly Argon2ApiTokenHasher _inner = new(CountingHasher.TestParameters);

        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Gate { get; } = new(true);

        public string Hash(string secret) => _inner.Hash(secret);

        public HashVerificationResult Verify(string hash, ReadOnlySpan<char> secret)
        {
            Entered.Set();
            Gate.Wait(TimeSpan.FromSeconds(30));
            return _inner.Verify(hash, secret);
        }
    }

    private static ServiceProvider BuildServices(IApiTokenHasher hasher)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(ManagerFixture.Start));
        services.AddSingleton(hasher);
        services.AddApiTokens().AddInMemoryStore().AddInMemoryAccounts();
        services.AddAuthentication().AddWhmTokens();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task RequestStartedAfterRevokeReturned_IsRefused_EvenWhileAnOlderVerificationIsInFlight()
    {
        var hasher = new GatedHasher();
        using var provider = BuildServices(hasher);
        using var scope = provider.CreateScope();
        var root = provider.GetRequiredService<InMemoryAccountProvider>().Add("root", "all");
        var manager = scope.ServiceProvider.GetRequiredService<ApiTokenManager>();
        var created = (await manager.CreateAsync(root.Id, new ApiTokenCreateRequest { Name = "t" })).Value!;
        var verifier = provider.GetRequiredService<ApiTokenVerifier>();
        Assert.IsType<LocalChangeNotifier>(provider.GetRequiredService<IApiTokenChangeNotifier>());

        hasher.Gate.Reset();
        var first = Task.Run(async () => await verifier.VerifyAsync("root", created.PlaintextToken, IPAddress.Loopback));
        Assert.True(hasher.Entered.Wait(TimeSpan.FromSeconds(30)));

        Assert.True((await manager.RevokeAsync(root.Id, "t")).Succeeded);
        var later = verifier.VerifyAsync("root", created.PlaintextToken, IPAddress.Loopback).AsTask();
        hasher.Gate.Set();

        var laterResult = await later;
        await first;
        Assert.False(laterResult.Succeeded, $"a request started after the revoke returned got {laterResult.FailureReason}");
        Assert.Equal(ApiTokenFailureReason.UnknownToken, laterResult.FailureReason);
        Assert.False((await verifier.VerifyAsync("root", created.PlaintextToken, IPAddress.Loopback)).Succeeded);
    }

    [Fact]
    public async Task AccountSuspendedWhileVerifying_LaterRequestsAreRefused()
    {
        var hasher = new GatedHasher();
        using var provider = BuildServices(hasher);
        using var scope = provider.CreateScope();
        var accounts = provider.GetRequiredService<InMemoryAccountProvider>();
        var reseller = accounts.Add("res", "list-accts");
        var manager = scope.ServiceProvider.GetRequiredService<ApiTokenManager>();
        var created = (await manager.CreateAsync(reseller.Id, new ApiTokenCreateRequest { Name = "t", Acls = ["list-accts"] })).Value!;
        var verifier = provider.GetRequiredService<ApiTokenVerifier>();

        hasher.Gate.Reset();
        var first = Task.Run(async () => await verifier.VerifyAsync("res", created.PlaintextToken, IPAddress.Loopback));
        Assert.True(hasher.Entered.Wait(TimeSpan.FromSeconds(30)));
        accounts.Update(reseller.Id, isSuspended: true);
        await manager.AccountChangedAsync(reseller.Id);
        var later = verifier.VerifyAsync("res", created.PlaintextToken, IPAddress.Loopback).AsTask();
        hasher.Gate.Set();

        Assert.Equal(ApiTokenFailureReason.Suspended, (await later).FailureReason);
        await first;
    }
}
