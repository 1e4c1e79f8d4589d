using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace ApiTokens.Tests.Diagnostics;

/// <summary>
/// What an operator sees of the verifier's slow path and its defences: the duration of each account-provider and store call by
/// operation, requests refused from the negative-lookup cache (no store read), and requests refused because their client is
/// blocked, with the number of blocked and tracked clients. Services only: the verifier is driven as the whm handler drives it.
/// </summary>
public sealed class StoreAndClientMetricsTests
{
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.7");

    private static ApiTokensTestServices Build() =>
        new ApiTokensTestHostBuilder()
            .ConfigureOptions(o => o.ClientLimits.MaxFailures = 2)
            .ConfigureServices(s => s.AddMetrics())
            .BuildServices();

    [Fact]
    public async Task UncachedVerification_RecordsEachStoreCall_ByOperation_AndANegativeHitCostsNone()
    {
        await using var services = Build();
        var factory = services.Services.GetRequiredService<IMeterFactory>();
        var verifier = services.Services.GetRequiredService<ApiTokenVerifier>();
        var owner = services.Accounts.Add("storeuser", "all");
        var live = await services.CreateTokenAsync(owner, "live", ["list-accts"]);
        var gone = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            gone.Add((await services.CreateTokenAsync(owner, $"gone{i}", ["list-accts"])).PlaintextToken);
            Assert.True((await services.Manager.RevokeAsync(owner.Id, $"gone{i}")).Succeeded);
        }

        using var durations = new MetricCollector<double>(factory, "ApiTokens", "apitokens.store.duration");
        using var negative = new MetricCollector<long>(factory, "ApiTokens", "apitokens.negative_lookup.hits");

        Assert.True((await verifier.VerifyAsync("storeuser", live.PlaintextToken, Client)).Succeeded);
        Assert.Equal(["find_account", "find_by_selector", "find_user"], Operations(durations));

        // Two unknown tokens: the second lists the account's selectors; the third is refused from memory, with no store call.
        durations.Clear();
        Assert.Equal(ApiTokenFailureReason.UnknownToken, (await verifier.VerifyAsync("storeuser", gone[0], Client)).FailureReason);
        Assert.Equal(ApiTokenFailureReason.UnknownToken, (await verifier.VerifyAsync("storeuser", gone[1], Client)).FailureReason);
        Assert.Contains("list_selectors", Operations(durations));
        Assert.Empty(negative.GetMeasurementSnapshot());

        durations.Clear();
        Assert.Equal(ApiTokenFailureReason.UnknownToken, (await verifier.VerifyAsync("storeuser", gone[2], Client)).FailureReason);
        Assert.Empty(durations.GetMeasurementSnapshot());
        var hit = Assert.Single(negative.GetMeasurementSnapshot());
        Assert.Equal("unknown_token", hit.Tags["apitokens.negative_lookup.reason"]);
        Assert.All(durations.GetMeasurementSnapshot(), m => Assert.True(m.Value >= 0));
    }

    [Fact]
    public async Task BlockedClient_EachRefusal_IsCounted_AndTheGaugesShowOneBlockedClient()
    {
        await using var services = Build();
        var factory = services.Services.GetRequiredService<IMeterFactory>();
        var verifier = services.Services.GetRequiredService<ApiTokenVerifier>();
        var owner = services.Accounts.Add("blockeduser", "all");
        var token = await services.CreateTokenAsync(owner, "token", ["list-accts"]);

        using var blockedRequests = new MetricCollector<long>(factory, "ApiTokens", "apitokens.client_limits.blocked_requests");
        using var blockedClients = new MetricCollector<int>(factory, "ApiTokens", "apitokens.client_limits.blocked_clients");
        using var trackedClients = new MetricCollector<int>(factory, "ApiTokens", "apitokens.client_limits.tracked_clients");

        // The handler counts each refused credential; two block this client (MaxFailures = 2).
        verifier.ClientLimits.RecordFailure(Client);
        verifier.ClientLimits.RecordFailure(Client);
        for (var i = 0; i < 3; i++)
        {
            var refused = await verifier.VerifyAsync("blockeduser", token.PlaintextToken, Client);
            Assert.Equal(ApiTokenFailureReason.ClientBlocked, refused.FailureReason);
        }

        Assert.Equal(3, blockedRequests.GetMeasurementSnapshot().EvaluateAsCounter());
        blockedClients.RecordObservableInstruments();
        trackedClients.RecordObservableInstruments();
        Assert.Equal(1, blockedClients.LastMeasurement?.Value);
        Assert.Equal(1, trackedClients.LastMeasurement?.Value);

        // Another address is not blocked, and is not counted.
        Assert.True((await verifier.VerifyAsync("blockeduser", token.PlaintextToken, IPAddress.Parse("198.51.100.9"))).Succeeded);
        Assert.Equal(3, blockedRequests.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    private static string[] Operations(MetricCollector<double> collector) =>
        [.. collector.GetMeasurementSnapshot().Select(m => (string)m.Tags["apitokens.store.operation"]!).Distinct().Order(StringComparer.Ordinal)];
}
