using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace ApiTokens.Benchmarks.Storm;

/// <summary>
/// <c>-- storm [--tokens 100,1000] [--hashers managed,sodium] [--data DIR] [--label NAME]</c>: the cold-start storm of issue 16.
/// For each N and hasher, a node restarts (<see cref="StormNode"/>, a fresh process over <see cref="StormData"/>'s SQLite file,
/// so its verify cache is empty), one warm token is proven once, its cached latency is measured while the node is quiet, and
/// then the N scripts that own the other tokens all call <c>/json-api/version</c> at once, each with its own token, while the
/// warm token keeps calling every 5 ms. A script does what a well-behaved one would: on 503 it waits <c>Retry-After</c> (1 s if
/// absent) and calls again; on a refusal (401/403) it counts it and, unlike a real script that would give its token up for dead,
/// calls again after 1 s, so the time until every token is answered 200 exists for every build.
/// </summary>
/// <remarks>
/// Measured, not asserted: the time from the storm's start until the last script got 200, how many first answers were 200, 503
/// or a refusal, the retries, the Argon2 runs the node made during the storm (exactly N when every token is verified once and
/// no run is wasted), and the warm token's p50/p99 quiet and during the storm.
/// </remarks>
public static class ColdStartStorm
{
    private static readonly TimeSpan TrickleGap = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(TextWriter output, string[] args)
    {
        var counts = (Option(args, "--tokens") ?? "100,1000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var hashers = (Option(args, "--hashers") ?? "managed,sodium").Split(',');
        var folder = Option(args, "--data") ?? Path.Combine(Path.GetTempPath(), "apitokens-storm");
        var label = Option(args, "--label") ?? "this build";

        output.WriteLine("| build | hasher | N | all 200 after | first answers 200 / 503 / refused | retries | Argon2 runs | cached p50 / p99 quiet | cached p50 / p99 storm (n) | p99 storm / quiet | slowest cached (sent at) |");
        output.WriteLine("|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var count in counts)
        {
            var data = await StormData.EnsureAsync(folder, count, Console.Error).ConfigureAwait(false);
            foreach (var hasher in hashers)
            {
                var r = await RunCaseAsync(data, hasher).ConfigureAwait(false);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {label} | {hasher} | {count:N0} | {(r.Completed ? $"{r.Storm.TotalSeconds:F1} s" : $"not all in {GiveUpAfter.TotalMinutes:F0} min ({r.Answered} of {count})")} | {r.First200} / {r.First503} / {r.FirstRefused} | {r.Retries} | {r.Argon2Runs} | {Ms(r.Quiet, 0.50)} / {Ms(r.Quiet, 0.99)} | {Ms(r.During, 0.50)} / {Ms(r.During, 0.99)} ({r.During.Count}) | {Percentile(r.During, 0.99) / Percentile(r.Quiet, 0.99):F1}× | {Slowest(r.During)} |"));
                output.Flush();
            }
        }

        return 0;
    }

    private sealed record CaseResult(
        bool Completed, int Answered, TimeSpan Storm, int First200, int First503, int FirstRefused, int Retries, int Argon2Runs,
        List<Sample> Quiet, List<Sample> During);

    /// <summary>A cached request: when it was sent (ms after its phase began) and how long it took (ms).</summary>
    private readonly record struct Sample(double SentAt, double Latency);

    private static async Task<CaseResult> RunCaseAsync(StormData data, string hasher)
    {
        using var node = await NodeProcess.StartAsync(data.Database, hasher).ConfigureAwait(false);
        using var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromMinutes(1),
        })
        { BaseAddress = node.Address, Timeout = GiveUpAfter };

        // The warm token: proven once (one Argon2), then its cached latency while nothing else happens.
        Check(await SendAsync(client, data.Warm).ConfigureAwait(false), "the warm token");
        Console.Error.WriteLine($"storm: {hasher}, {data.Scripts.Count} tokens, node pid {node.Id}");
        var quietStart = Stopwatch.GetTimestamp();
        var quiet = await TrickleAsync(client, data.Warm, () => quietStart, until: null, requests: 300).ConfigureAwait(false);
        var runsBefore = await Argon2RunsAsync(client).ConfigureAwait(false);

        var started = 0L;
        using var stormDone = new CancellationTokenSource();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var scripts = data.Scripts.Select(s => ScriptAsync(client, s, start.Task)).ToList();
        var trickle = TrickleAsync(client, data.Warm, () => started, stormDone.Token, requests: int.MaxValue);
        started = Stopwatch.GetTimestamp();
        start.SetResult();
        var all = Task.WhenAll(scripts);
        var completed = await Task.WhenAny(all, Task.Delay(GiveUpAfter)).ConfigureAwait(false) == all;
        var storm = Stopwatch.GetElapsedTime(started);
        await stormDone.CancelAsync().ConfigureAwait(false);
        var during = await trickle.ConfigureAwait(false);
        var finished = scripts.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result).ToList();
        var runs = await Argon2RunsAsync(client).ConfigureAwait(false) - runsBefore;
        return new CaseResult(
            completed,
            finished.Count,
            completed ? finished.Max(s => s.Done) : storm,
            finished.Count(s => s.First == HttpStatusCode.OK),
            finished.Count(s => s.First == HttpStatusCode.ServiceUnavailable),
            finished.Count(s => s.First is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable)),
            finished.Sum(s => s.Attempts - 1),
            runs,
            quiet,
            during);

        async Task<(HttpStatusCode First, int Attempts, TimeSpan Done)> ScriptAsync(HttpClient http, (string User, string Token) script, Task go)
        {
            await go.ConfigureAwait(false);
            HttpStatusCode? first = null;
            for (var attempt = 1; ; attempt++)
            {
                using var response = await SendAsync(http, script).ConfigureAwait(false);
                first ??= response.StatusCode;
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return (first.Value, attempt, Stopwatch.GetElapsedTime(started));
                }

                var wait = response.StatusCode == HttpStatusCode.ServiceUnavailable
                    ? response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1)
                    : TimeSpan.FromSeconds(1);
                await Task.Delay(wait).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Sequential calls with the warm token, <see cref="TrickleGap"/> apart: each one's latency and when it was sent (ms after
    /// <paramref name="origin"/>).
    /// </summary>
    private static async Task<List<Sample>> TrickleAsync(
        HttpClient client, (string User, string Token) warm, Func<long> origin, CancellationToken? until, int requests)
    {
        var latencies = new List<Sample>();
        for (var i = 0; i < requests && until?.IsCancellationRequested != true; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            using var response = await SendAsync(client, warm).ConfigureAwait(false);
            latencies.Add(new Sample(Stopwatch.GetElapsedTime(origin(), sent).TotalMilliseconds, Stopwatch.GetElapsedTime(sent).TotalMilliseconds));

            Check(response, "a cached request");
            await Task.Delay(TrickleGap).ConfigureAwait(false);
        }

        return latencies;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, (string User, string Token) token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/json-api/version?api.version=1");
        request.Headers.TryAddWithoutValidation("Authorization", $"whm {token.User}:{token.Token}");
        var response = await client.SendAsync(request).ConfigureAwait(false);
        await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
        return response;
    }

    private static async Task<int> Argon2RunsAsync(HttpClient client) =>
        int.Parse(await client.GetStringAsync(new Uri("/storm/argon2", UriKind.Relative)).ConfigureAwait(false), CultureInfo.InvariantCulture);

    private static void Check(HttpResponseMessage response, string what)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{what} got {(int)response.StatusCode}, not 200.");
        }
    }

    private static double Percentile(List<Sample> values, double p)
    {
        var sorted = values.Select(v => v.Latency).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    private static string Slowest(List<Sample> values)
    {
        var slowest = values.MaxBy(v => v.Latency);
        return values.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{slowest.Latency:F0} ms at {slowest.SentAt / 1000:F1} s");
    }

    private static string Ms(List<Sample> values, double p) => string.Create(CultureInfo.InvariantCulture, $"{Percentile(values, p):F1} ms");

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>The node in its own process (the same executable, <c>storm-node</c>), stopped by closing its stdin.</summary>
    private sealed class NodeProcess : IDisposable
    {
        private readonly Process _process;

        private NodeProcess(Process process, Uri address)
        {
            _process = process;
            Address = address;
        }

        public Uri Address { get; }

        public int Id => _process.Id;

        public static async Task<NodeProcess> StartAsync(string database, string hasher)
        {
            var info = new ProcessStartInfo(Environment.ProcessPath!)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { typeof(ColdStartStorm).Assembly.Location, "storm-node", "--db", database, "--hasher", hasher })
            {
                info.ArgumentList.Add(arg);
            }

            // As an ASP.NET Core app runs by default (the Web SDK turns server GC on); this console project does not.
            info.Environment["DOTNET_gcServer"] = "1";
            var process = Process.Start(info) ?? throw new InvalidOperationException("The storm node did not start.");
            var line = await process.StandardOutput.ReadLineAsync().ConfigureAwait(false);
            if (line?.StartsWith("listening ", StringComparison.Ordinal) != true)
            {
                process.Kill();
                throw new InvalidOperationException($"The storm node said '{line}' instead of its address.");
            }

            return new NodeProcess(process, new Uri(line["listening ".Length..]));
        }

        public void Dispose()
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                _process.Kill();
            }

            _process.Dispose();
        }
    }
}
