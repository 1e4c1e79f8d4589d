using System.Diagnostics;
using System.Globalization;
using ApiTokens.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Benchmarks.Attack;

/// <summary>
/// The handler comparison again, interleaved: every round runs each handler for a batch of requests in turn, and the
/// figure is the median over rounds. On a shared machine whose load changes minute to minute this keeps the ratios
/// honest (BenchmarkDotNet measures each handler in its own time window). Allocation is per request on this thread.
/// </summary>
public static class InterleavedComparison
{
    public static async Task<int> RunAsync(TextWriter output, bool quick)
    {
        var rounds = quick ? 15 : 60;
        const int batch = 2_000;
        using var host = new AuthHost(HashParameters.Test);
        using var noUsage = new AuthHost(HashParameters.Test, usageTracking: false); // ApiTokens:Usage:Enabled=false
        var peers = new (string Name, AuthHost Host, string Scheme, HttpContext Context)[]
        {
            ("anonymous", host, AuthHost.Whm, AuthHost.CreateContext(null)),
            ("whm cached", host, AuthHost.Whm, AuthHost.CreateContext(host.WhmHeader)),
            ("JWT bearer HS256", host, AuthHost.Jwt, AuthHost.CreateContext(host.JwtHeader)),
            ("ASP.NET bearer token", host, AuthHost.Bearer, AuthHost.CreateContext(host.BearerHeader)),
            ("idunno basic", host, AuthHost.Basic, AuthHost.CreateContext(host.BasicHeader)),
            ("whm cached, usage off", noUsage, AuthHost.Whm, AuthHost.CreateContext(noUsage.WhmHeader)),
        };
        foreach (var (name, peerHost, scheme, context) in peers.Skip(1))
        {
            AuthHost.EnsureSucceeded(await peerHost.AuthenticateAsync(context, scheme).ConfigureAwait(false), name);
        }

        var times = peers.Select(_ => new List<double>(rounds)).ToArray();
        var bytes = new long[peers.Length];
        for (var round = -3; round < rounds; round++) // three warm-up rounds
        {
            for (var k = 0; k < peers.Length; k++)
            {
                var i = (k + Math.Max(round, 0)) % peers.Length; // rotate the order
                var (_, peerHost, scheme, context) = peers[i];
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var start = Stopwatch.GetTimestamp();
                for (var n = 0; n < batch; n++)
                {
                    await peerHost.AuthenticateAsync(context, scheme).ConfigureAwait(false);
                }

                var elapsed = Stopwatch.GetElapsedTime(start);
                if (round >= 0)
                {
                    times[i].Add(elapsed.TotalNanoseconds / batch);
                    bytes[i] += GC.GetAllocatedBytesForCurrentThread() - allocated;
                }
            }
        }

        var medians = times.Select(Median).ToArray();
        output.WriteLine($"# interleaved comparison: {rounds} rounds x {batch} requests per handler, median of per-round means");
        var whm = medians[1];
        for (var i = 0; i < peers.Length; i++)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"compare {peers[i].Name}: median_ns={medians[i]:F0} alloc_b={bytes[i] / ((long)rounds * batch)} ratio_to_anonymous={medians[i] / medians[0]:F2} whm_cached_ratio={whm / medians[i]:F2}"));
        }

        foreach (var server in new[] { "TestServer", "Kestrel" })
        {
            await FullRequestAsync(output, server, quick ? 10 : 30, quick ? 200 : 500).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>
    /// The full-request pair (<see cref="FullRequestBenchmarks"/>) interleaved the same way: anonymous, with a cached
    /// token, and the token on the unprotected endpoint (authentication without a policy), batch by batch, median of the per-round means; the throughput ratio is anonymous time / token time.
    /// </summary>
    private static async Task FullRequestAsync(TextWriter output, string server, int rounds, int batch)
    {
        var bench = new FullRequestBenchmarks { Server = server };
        bench.Setup();
        try
        {
            var pair = new Func<Task<int>>[] { bench.Anonymous, bench.WithToken, bench.TokenUnprotected };
            var times = pair.Select(_ => new List<double>(rounds)).ToArray();
            for (var round = -2; round < rounds; round++)
            {
                for (var k = 0; k < pair.Length; k++)
                {
                    var i = (k + Math.Max(round, 0)) % pair.Length;
                    var start = Stopwatch.GetTimestamp();
                    for (var n = 0; n < batch; n++)
                    {
                        if (await pair[i]().ConfigureAwait(false) <= 0)
                        {
                            throw new InvalidOperationException($"The full request on {server} did not answer 200.");
                        }
                    }

                    if (round >= 0)
                    {
                        times[i].Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / batch);
                    }
                }
            }

            var anonymous = Median(times[0]);
            var token = Median(times[1]);
            var authOnly = Median(times[2]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"compare full request {server}: anonymous_ns={anonymous:F0} whm_cached_ns={token:F0} throughput_ratio={anonymous / token:F2} whm_no_requirement_ns={authOnly:F0} ({rounds} rounds x {batch} requests each)"));
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
