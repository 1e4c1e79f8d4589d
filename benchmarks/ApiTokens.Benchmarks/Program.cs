using ApiTokens.Benchmarks.Attack;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Running;

namespace ApiTokens.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- [BenchmarkDotNet arguments]</c> runs the benchmarks (e.g. <c>--filter *</c>);
/// <c>-- attack [--quick]</c> runs the attack and concurrency harness.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "attack")
        {
            return await AttackHarness.RunAsync(Console.Out, args.Contains("--quick")).ConfigureAwait(false);
        }

        var config = DefaultConfig.Instance
            .AddExporter(MarkdownExporter.GitHub)
            .AddExporter(JsonExporter.Full);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
