using System.Diagnostics;
using System.Globalization;
using ApiTokens.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Benchmarks.Attack;

/// <summary>
/// Attack and concurrency figures that a per-operation benchmark cannot show: how many Argon2 runs a burst of
/// requests costs, and what a flood of wrong secrets does to legitimate cached requests. Argon2 runs at the
/// library's default parameters and is counted by a wrapper around the real hasher.
/// </summary>
public static class AttackHarness
{
    public static async Task<int> RunAsync(TextWriter output, bool quick)
    {
        var floodSeconds = quick ? 3 : 10;
        var randomRequests = 10_000;
        output.WriteLine($"# attack harness: Argon2 at default parameters, {Environment.ProcessorCount} cores, flood {floodSeconds} s");

        await ConcurrentFirstRequestsAsync(output).ConfigureAwait(false);
        await RandomTokensAsync(output, randomRequests).ConfigureAwait(false);
        await WrongSecretFloodAsync(output, floodSeconds).ConfigureAwait(false);
        return 0;
    }

    /// <summary>64 requests for one uncached token, released at once: the single-flight should run Argon2 once.</summary>
    private static async Task ConcurrentFirstRequestsAsync(TextWriter output)
    {
        using var host = new AuthHost(HashParameters.Default);
        host.Hasher.Reset();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = Stopwatch.GetTimestamp();
        var requests = Enumerable.Range(0, 64).Select(async _ =>
        {
            await gate.Task.ConfigureAwait(false);
            return await host.AuthenticateAsync(AuthHost.CreateContext(host.WhmHeader), AuthHost.Whm).ConfigureAwait(false);
        }).ToArray();
        gate.SetResult();
        var results = await Task.WhenAll(requests).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        Line(output, "concurrent-first-64", $"argon2_runs={host.Hasher.VerifyCalls} succeeded={results.Count(r => r.Succeeded)}/64 total_ms={elapsed.TotalMilliseconds:F1}");
    }

    /// <summary>Random well-formed tokens for a real user: unknown selectors must cost a store read, never Argon2.</summary>
    private static async Task RandomTokensAsync(TextWriter output, int count)
    {
        using var host = new AuthHost(HashParameters.Default);
        var format = new ApiTokenFormat(new ApiTokenFormatOptions());
        var headers = Enumerable.Range(0, count).Select(_ => $"whm {AuthHost.UserName}:{format.Generate().Value}").ToArray();
        host.Hasher.Reset();
        var succeeded = 0;
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(headers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (header, _) =>
        {
            var result = await host.AuthenticateAsync(AuthHost.CreateContext(header), AuthHost.Whm).ConfigureAwait(false);
            if (result.Succeeded)
            {
                Interlocked.Increment(ref succeeded);
            }
        }).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        Line(output, "random-tokens-10000", string.Create(CultureInfo.InvariantCulture,
            $"argon2_runs={host.Hasher.VerifyCalls} succeeded={succeeded} total_ms={elapsed.TotalMilliseconds:F1} per_request_us={elapsed.TotalMicroseconds / count:F2}"));
    }

    /// <summary>
    /// Wrong secrets for a real selector from many workers at full speed, while one client keeps making legitimate
    /// cached requests: Argon2 runs per second (the per-selector throttle should cap them) and the legitimate latency,
    /// compared with the same client measured before the flood.
    /// </summary>
    private static async Task WrongSecretFloodAsync(TextWriter output, int seconds)
    {
        using var host = new AuthHost(HashParameters.Default);
        var legit = AuthHost.CreateContext(host.WhmHeader);
        AuthHost.EnsureSucceeded(await host.AuthenticateAsync(legit, AuthHost.Whm).ConfigureAwait(false), "whm");

        _ = await MeasureLegitimateAsync(host, legit, TimeSpan.FromSeconds(1)).ConfigureAwait(false); // warm-up (JIT tiers)
        var quiet = await MeasureLegitimateAsync(host, legit, TimeSpan.FromSeconds(Math.Max(1, seconds / 2))).ConfigureAwait(false);

        var token = host.WhmHeader[(host.WhmHeader.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var selector = token[..new ApiTokenFormatOptions().SelectorLength];
        host.Hasher.Reset();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        long attempts = 0;
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var wrong = selector + ApiTokenFormatTestSecret();
                var context = AuthHost.CreateContext($"whm {AuthHost.UserName}:{wrong}");
                var result = await host.AuthenticateAsync(context, AuthHost.Whm).ConfigureAwait(false);
                if (result.Succeeded)
                {
                    throw new InvalidOperationException("A wrong secret authenticated.");
                }

                Interlocked.Increment(ref attempts);
            }
        })).ToArray();

        var started = Stopwatch.GetTimestamp();
        var flood = await MeasureLegitimateAsync(host, legit, TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var runs = host.Hasher.VerifyCalls;
        Line(output, "wrong-secret-flood", string.Create(CultureInfo.InvariantCulture,
            $"attempts={attempts} attempts_per_s={attempts / elapsed:F0} argon2_runs={runs} argon2_runs_per_s={runs / elapsed:F2}"));
        Line(output, "legit-cached-quiet", quiet.ToString());
        Line(output, "legit-cached-during-flood", flood.ToString());
        Line(output, "legit-p50-ratio", string.Create(CultureInfo.InvariantCulture, $"{flood.P50 / quiet.P50:F2}x (during flood / quiet)"));
    }

    private static string ApiTokenFormatTestSecret() =>
        System.Security.Cryptography.RandomNumberGenerator.GetString(ApiTokenFormat.Alphabet, new ApiTokenFormatOptions().Length - new ApiTokenFormatOptions().SelectorLength);

    private static async Task<Latency> MeasureLegitimateAsync(AuthHost host, HttpContext context, TimeSpan duration)
    {
        var samples = new List<double>(100_000);
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            var start = Stopwatch.GetTimestamp();
            var result = await host.AuthenticateAsync(context, AuthHost.Whm).ConfigureAwait(false);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            AuthHost.EnsureSucceeded(result, "legitimate request");
        }

        samples.Sort();
        return new Latency(samples.Count, samples[samples.Count / 2], samples[(int)(samples.Count * 0.99)], samples[^1]);
    }

    private static void Line(TextWriter output, string figure, string value) => output.WriteLine($"attack {figure}: {value}");

    private readonly record struct Latency(int Requests, double P50, double P99, double Max)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"requests={Requests} p50_us={P50:F1} p99_us={P99:F1} max_us={Max:F1}");
    }
}
