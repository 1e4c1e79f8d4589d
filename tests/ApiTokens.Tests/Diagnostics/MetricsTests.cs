using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace ApiTokens.Tests.Diagnostics;

/// <summary>
/// The <c>ApiTokens</c> meter as an operator's exporter sees it, on a real Kestrel app: each instrument counts what happened
/// (a success, a wrong secret, a cache hit, a throttled selector, an Argon2 run), with low-cardinality tags only.
/// </summary>
public sealed class MetricsTests
{
    private const string Path = "/json-api/listaccts";
    private const string Meter = "ApiTokens";

    private static Task<ApiTokensTestHost> StartAsync(Action<ApiTokenOptions>? configure = null) =>
        new ApiTokensTestHostBuilder()
            .ConfigureOptions(o => configure?.Invoke(o))
            .ConfigureApp(app => app.MapGet(Path, () => "accounts").RequirePrivilege("list-accts"))
            .StartAsync();

    private static MetricCollector<T> Collect<T>(ApiTokensTestHost host, string instrument)
        where T : struct =>
        new(host.Services.GetRequiredService<IMeterFactory>(), Meter, instrument);

    [Fact]
    public async Task Success_CountsOneAttempt_WithResultSuccess_AndNoFailureReason()
    {
        await using var host = await StartAsync();
        var root = host.Accounts.Add("root", "all");
        var token = await host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        using var attempts = Collect<long>(host, "apitokens.authentication.attempts");

        using var response = await host.GetAsync(Path, "root", token.PlaintextToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var attempt = Assert.Single(attempts.GetMeasurementSnapshot());
        Assert.Equal(1, attempt.Value);
        Assert.Equal("success", attempt.Tags["apitokens.authentication.result"]);
        Assert.False(attempt.Tags.ContainsKey("apitokens.authentication.failure_reason"));
    }

    [Fact]
    public async Task WrongSecret_CountsAFailure_WithReasonWrongSecret_AndOneArgon2Verification()
    {
        await using var host = await StartAsync();
        var root = host.Accounts.Add("root", "all");
        var token = await host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        using var attempts = Collect<long>(host, "apitokens.authentication.attempts");
        using var hashes = Collect<long>(host, "apitokens.hashing.operations");
        using var durations = Collect<double>(host, "apitokens.hashing.duration");

        using var response = await host.GetAsync(Path, "root", WrongSecret(token.PlaintextToken));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var attempt = Assert.Single(attempts.GetMeasurementSnapshot());
        Assert.Equal("failure", attempt.Tags["apitokens.authentication.result"]);
        Assert.Equal("wrong_secret", attempt.Tags["apitokens.authentication.failure_reason"]);
        var hash = Assert.Single(hashes.GetMeasurementSnapshot());
        Assert.Equal("verify", hash.Tags["apitokens.hashing.operation"]);
        var duration = Assert.Single(durations.GetMeasurementSnapshot());
        Assert.True(duration.Value > 0);
    }

    [Fact]
    public async Task CachedRequest_CountsAHit_FirstRequestAMiss_AndOnlyTheMissRunsArgon2()
    {
        await using var host = await StartAsync();
        var root = host.Accounts.Add("root", "all");
        var token = await host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        using var lookups = Collect<long>(host, "apitokens.cache.lookups");
        using var hashes = Collect<long>(host, "apitokens.hashing.operations");
        using var slowPath = Collect<double>(host, "apitokens.verification.duration");
        using var entries = Collect<long>(host, "apitokens.cache.entries");

        for (var i = 0; i < 3; i++)
        {
            using var response = await host.GetAsync(Path, "root", token.PlaintextToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var results = lookups.GetMeasurementSnapshot().Select(m => (string?)m.Tags["apitokens.cache.result"]).ToList();
        Assert.Equal(["miss", "hit", "hit"], results);
        Assert.Single(hashes.GetMeasurementSnapshot());
        Assert.Equal("success", Assert.Single(slowPath.GetMeasurementSnapshot()).Tags["apitokens.verification.result"]);
        entries.RecordObservableInstruments();
        Assert.Equal(1, entries.LastMeasurement!.Value);
    }

    [Fact]
    public async Task ThrottledSelector_CountsARefusal_AndAThrottledFailure_WithNoArgon2()
    {
        await using var host = await StartAsync(o => o.Verification.MaxFailuresPerSelector = 2);
        var root = host.Accounts.Add("root", "all");
        var token = await host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        using var attempts = Collect<long>(host, "apitokens.authentication.attempts");
        using var refusals = Collect<long>(host, "apitokens.hashing.refusals");
        using var hashes = Collect<long>(host, "apitokens.hashing.operations");

        for (var i = 0; i < 3; i++)
        {
            using var response = await host.GetAsync(Path, "root", WrongSecret(token.PlaintextToken, i));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var reasons = attempts.GetMeasurementSnapshot().Select(m => (string?)m.Tags["apitokens.authentication.failure_reason"]).ToList();
        Assert.Equal(["wrong_secret", "wrong_secret", "throttled"], reasons);
        var refusal = Assert.Single(refusals.GetMeasurementSnapshot());
        Assert.Equal("selector_limit", refusal.Tags["apitokens.hashing.refusal_reason"]);
        Assert.Equal("verify", refusal.Tags["apitokens.hashing.operation"]);
        Assert.Equal(2, hashes.GetMeasurementSnapshot().Count);
    }

    [Fact]
    public async Task Create_CountsOneArgon2Hash_AndItsWaitForASlot()
    {
        await using var host = await StartAsync();
        var root = host.Accounts.Add("root", "all");
        using var hashes = Collect<long>(host, "apitokens.hashing.operations");
        using var waits = Collect<double>(host, "apitokens.hashing.queue.duration");

        await host.CreateTokenAsync(root, "deploy", ["list-accts"]);

        Assert.Equal("hash", Assert.Single(hashes.GetMeasurementSnapshot()).Tags["apitokens.hashing.operation"]);
        var wait = Assert.Single(waits.GetMeasurementSnapshot());
        Assert.Equal("acquired", wait.Tags["apitokens.hashing.queue.result"]);
    }

    [Fact]
    public async Task MalformedHeader_CountsAFailure_WithReasonMalformed()
    {
        await using var host = await StartAsync();
        using var attempts = Collect<long>(host, "apitokens.authentication.attempts");

        using var response = await host.GetAsync(Path, "whm no-colon-here");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("malformed", Assert.Single(attempts.GetMeasurementSnapshot()).Tags["apitokens.authentication.failure_reason"]);
    }

    [Fact]
    public async Task Revoke_CountsAnAccountInvalidation()
    {
        await using var host = await StartAsync();
        var root = host.Accounts.Add("root", "all");
        await host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        using var invalidations = Collect<long>(host, "apitokens.cache.invalidations");

        Assert.True((await host.Manager.RevokeAsync(root.Id, "deploy")).Value);

        Assert.Contains(invalidations.GetMeasurementSnapshot(), m => (string?)m.Tags["apitokens.cache.invalidation_scope"] == "account");
    }

    [Fact]
    public async Task TwoApps_InOneProcess_EachCountOnlyTheirOwnRequests()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync();
        var root = first.Accounts.Add("root", "all");
        var token = await first.CreateTokenAsync(root, "deploy", ["list-accts"]);
        using var firstAttempts = Collect<long>(first, "apitokens.authentication.attempts");
        using var secondAttempts = Collect<long>(second, "apitokens.authentication.attempts");

        using var response = await first.GetAsync(Path, "root", token.PlaintextToken);

        Assert.Single(firstAttempts.GetMeasurementSnapshot());
        Assert.Empty(secondAttempts.GetMeasurementSnapshot());
    }

    /// <summary>The same token with its secret's last character changed (<paramref name="variant"/> picks which replacement).</summary>
    internal static string WrongSecret(string token, int variant = 0)
    {
        var last = token[^1];
        var replacement = "ABCDEFGH"[variant % 8];
        return token[..^1] + (last == replacement ? 'Z' : replacement);
    }
}
