using System.Diagnostics;
using System.Globalization;

namespace ApiTokens.Benchmarks.Attack;

/// <summary>
/// A steady request loop for a CPU profiler (<c>benchmarks/profile.sh</c> runs it under <c>dotnet-trace</c>): the
/// <see cref="FullRequestBenchmarks"/> host, one variant (<c>anonymous</c>, <c>token</c> or <c>unprotected</c>), for a
/// fixed time, then prints how many requests it sent so the profile's samples can be turned into time per request.
/// </summary>
public static class PipelineProfileLoop
{
    public static async Task<int> RunAsync(TextWriter output, string[] args)
    {
        var variant = args.Length > 1 ? args[1] : "token";
        var server = Option(args, "--server") ?? "TestServer";
        var seconds = double.Parse(Option(args, "--seconds") ?? "20", CultureInfo.InvariantCulture);
        var bench = new FullRequestBenchmarks { Server = server };
        bench.Setup();
        try
        {
            Func<Task<int>> send = variant switch
            {
                "anonymous" => bench.Anonymous,
                "token" => bench.WithToken,
                "unprotected" => bench.TokenUnprotected,
                _ => throw new ArgumentException($"Unknown variant '{variant}': anonymous, token or unprotected."),
            };

            // Warm up (tiered JIT reaches its final code) before the measured loop.
            var warmUp = 0L;
            var warmUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 3;
            while (Stopwatch.GetTimestamp() < warmUntil)
            {
                await send().ConfigureAwait(false);
                warmUp++;
            }

            output.WriteLine("profile: start");
            var requests = 0L;
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            var allocated = GC.GetTotalAllocatedBytes();
            var workItems = ThreadPool.CompletedWorkItemCount;
            var start = Stopwatch.GetTimestamp();
            var until = start + (long)(Stopwatch.Frequency * seconds);
            while (Stopwatch.GetTimestamp() < until)
            {
                if (await send().ConfigureAwait(false) <= 0)
                {
                    throw new InvalidOperationException($"The {variant} request did not answer 200.");
                }

                requests++;
            }

            var elapsed = Stopwatch.GetElapsedTime(start);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"profile {variant} {server}: requests={requests} warm_up_requests={warmUp} seconds={elapsed.TotalSeconds:F2} ns_per_request={elapsed.TotalNanoseconds / requests:F0} bytes_per_request={(GC.GetTotalAllocatedBytes() - allocated) / requests} thread_pool_items_per_request={(double)(ThreadPool.CompletedWorkItemCount - workItems) / requests:F2} gc={GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}"));
            return 0;
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
