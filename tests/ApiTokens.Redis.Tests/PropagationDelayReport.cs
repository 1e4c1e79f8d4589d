using System.Diagnostics;
using System.Globalization;
using System.Net;
using ApiTokens.Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ApiTokens.Redis.Tests;

/// <summary>
/// Measures, without asserting any timing, how long a revocation on A takes to be refused by B: from the revoke
/// call returning on A to B answering 401, over many revocations. Prints median, p95 and max.
/// <c>APITOKENS_PROPAGATION_RUNS</c> sets the count (default 100); <c>APITOKENS_PROPAGATION_STORE=postgres</c> runs it on
/// PostgreSQL (<c>APITOKENS_POSTGRES</c>) instead of the shared in-memory store.
/// </summary>
public sealed class PropagationDelayReport(ITestOutputHelper output)
{
    private const string ListAccts = "/json-api/listaccts";

    [SkippableFact]
    public async Task Revocations_ReachTheOtherNode_DelayIsReported()
    {
        var runs = int.TryParse(Environment.GetEnvironmentVariable("APITOKENS_PROPAGATION_RUNS"), CultureInfo.InvariantCulture, out var n) ? n : 100;
        var onPostgres = string.Equals(Environment.GetEnvironmentVariable("APITOKENS_PROPAGATION_STORE"), "postgres", StringComparison.OrdinalIgnoreCase);
        await using var database = onPostgres ? await PostgresDatabase.CreateAsync() : null;
        // One account creates a token per run (100 by default): the per-account create limit is not what this measures.
        await using var nodes = await TwoNodes.StartAsync(
            RedisEnvironment.SharedRedis(), postgres: database?.ConnectionString, configure: o => o.Policy.MaxCreatesPerAccountPerMinute = 0);
        await nodes.WaitUntilConnectedAsync();
        var root = nodes.Accounts.Add("root", "all");
        var delays = new List<double>(runs);

        for (var i = 0; i < runs; i++)
        {
            var token = await nodes.A.CreateTokenAsync(root, $"t{i}", ["list-accts"]);
            await nodes.B.WarmAsync(ListAccts, "root", token.PlaintextToken);

            Assert.True((await nodes.A.WithManagerAsync(m => m.RevokeAsync(root.Id, $"t{i}"))).Value);
            var clock = Stopwatch.StartNew();
            await nodes.B.PollUntilAsync(ListAccts, "root", token.PlaintextToken, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1));
            delays.Add(clock.Elapsed.TotalMilliseconds);
        }

        delays.Sort();
        Assert.Equal(runs, delays.Count);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Propagation A revoke -> B 401 over {runs} revocations ({(onPostgres ? "PostgreSQL" : "in-memory")} store): median {delays[runs / 2]:F2} ms, p95 {delays[(int)(runs * 0.95)]:F2} ms, max {delays[^1]:F2} ms, min {delays[0]:F2} ms"));
    }
}
