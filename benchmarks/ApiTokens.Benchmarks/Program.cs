using ApiTokens.Benchmarks.Attack;
using ApiTokens.Benchmarks.Storm;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;

namespace ApiTokens.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- [BenchmarkDotNet arguments]</c> runs the benchmarks (e.g. <c>--filter *</c>);
/// <c>-- attack [--quick]</c> runs the attack and concurrency harness; <c>-- flood [--quick]</c> the random-token and one-address
/// floods with and without negative lookups and client limits; <c>-- compare [--quick]</c> the interleaved handler comparison;
/// <c>-- profile anonymous|token|unprotected [--server TestServer|Kestrel] [--seconds N]</c> a request loop for
/// <c>benchmarks/profile.sh</c>; <c>-- storm [--tokens 100,1000] [--hashers managed,sodium]</c> the cold-start storm (each node
/// a child process started as <c>-- storm-node</c>). <c>benchmarks/run.sh</c> drives the first three.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "attack")
        {
            return await AttackHarness.RunAsync(Console.Out, args.Contains("--quick")).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == "flood")
        {
            return await FloodHarness.RunAsync(Console.Out, args.Contains("--quick")).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == "compare")
        {
            return await InterleavedComparison.RunAsync(Console.Out, args.Contains("--quick")).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == "storm")
        {
            return await ColdStartStorm.RunAsync(Console.Out, args).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == "storm-node")
        {
            return await StormNode.RunAsync(Console.Out, args).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] is "create-flood" or "address-flood")
        {
            return await KestrelFloods.RunAsync(Console.Out, args).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == "frozen-redis")
        {
            return await FrozenRedisRun.RunAsync(Console.Out).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == "profile")
        {
            return await PipelineProfileLoop.RunAsync(Console.Out, args).ConfigureAwait(false);
        }

        // Only the exporters the report script reads: GitHub markdown and brief JSON.
        var defaults = DefaultConfig.Instance;
        var config = ManualConfig.CreateEmpty()
            .AddColumnProvider(defaults.GetColumnProviders().ToArray())
            .AddLogger(ConsoleLogger.Default)
            .AddAnalyser(defaults.GetAnalysers().ToArray())
            .AddValidator(defaults.GetValidators().ToArray())
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(MarkdownExporter.GitHub, JsonExporter.Brief);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
