using System.Diagnostics;

namespace ApiTokens.Benchmarks.Attack;

/// <summary>
/// <c>frozen-redis</c>: runs the frozen-Redis reproduction (tests/ApiTokens.Redis.Tests/FrozenRedisTests.cs: a real redis-server
/// stopped with SIGSTOP under two nodes, a token revoked on node A) and reports what it measured: when node B went degraded and
/// refused the revoked token, against the bound. Needs <c>APITOKENS_REDIS_SERVER</c> (a redis-server binary); run from the
/// repository root. The test owns the procedure; this mode only runs it once and prints its figures.
/// </summary>
public static class FrozenRedisRun
{
    public static async Task<int> RunAsync(TextWriter output)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("APITOKENS_REDIS_SERVER")))
        {
            output.WriteLine("frozen-redis: APITOKENS_REDIS_SERVER is not set (the path of a redis-server binary)");
            return 2;
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "test", "tests/ApiTokens.Redis.Tests", "-c", "Release", "-p:SkipPublicApiCheck=true",
            "--filter", "FullyQualifiedName~FrozenRedisTests", "--logger", "console;verbosity=detailed",
        })
        {
            start.ArgumentList.Add(arg);
        }

        output.WriteLine("# frozen-redis: dotnet test tests/ApiTokens.Redis.Tests --filter FullyQualifiedName~FrozenRedisTests (real redis-server, SIGSTOP)");
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string? line;
        var passed = false;
        while ((line = await process.StandardOutput.ReadLineAsync().ConfigureAwait(false)) is not null)
        {
            var text = line.Trim();
            if (text.StartsWith("Redis frozen:", StringComparison.Ordinal) || text.StartsWith("Redis thawed:", StringComparison.Ordinal)
                || text.StartsWith("Passed ", StringComparison.Ordinal) || text.StartsWith("Failed ", StringComparison.Ordinal)
                || text.StartsWith("Skipped ", StringComparison.Ordinal))
            {
                output.WriteLine($"frozen-redis {text}");
                passed |= text.StartsWith("Passed ", StringComparison.Ordinal);
            }
        }

        await process.WaitForExitAsync().ConfigureAwait(false);
        _ = await errors.ConfigureAwait(false);
        return process.ExitCode == 0 && passed ? 0 : 1;
    }
}
