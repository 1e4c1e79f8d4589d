using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using ApiTokens.Benchmarks.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Benchmarks.Attack;

/// <summary>
/// Floods over HTTP against a real Kestrel app with SQLite (<see cref="KestrelAttackHost"/>), issue 15's "Done when":
/// <list type="bullet">
/// <item><c>create-flood</c>: 16 clients flood <c>api_token_create</c> with a name the account already has (finding 1) for
/// 10 s while one client makes cached <c>GET /ping</c> requests: that client's p50/p99 quiet and during, their ratio (target
/// within 2×), and the Argon2 runs the flood cost (target 0: the name is checked before any hash).</item>
/// <item><c>address-flood</c>: wrong secrets for a real selector from 10,000 distinct client addresses (16 workers, each address
/// twice): the client limiter's memory bound (tracked clients, managed bytes before/after), store calls and Argon2 runs.</item>
/// </list>
/// </summary>
public static class KestrelFloods
{
    private const int Workers = 16;

    public static async Task<int> RunAsync(TextWriter output, string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var seconds = args.Contains("--quick") ? 3 : 10;
        output.WriteLine($"# {args[0]}: Kestrel on 127.0.0.1, SQLite store, Argon2 at default parameters, {Environment.ProcessorCount} cores");
        return args[0] switch
        {
            "create-flood" => await CreateFloodAsync(output, seconds).ConfigureAwait(false),
            "address-flood" => await AddressFloodAsync(output, args.Contains("--quick") ? 1_000 : 10_000).ConfigureAwait(false),
            _ => 2,
        };
    }

    private static async Task<int> CreateFloodAsync(TextWriter output, int seconds)
    {
        await using var host = await KestrelAttackHost.StartAsync().ConfigureAwait(false);
        using var client = host.CreateClient();
        var auth = new AuthenticationHeaderValue("whm", $"{AuthHost.UserName}:{host.RootToken}");
        _ = await MeasureAsync(client, auth, TimeSpan.FromSeconds(2)).ConfigureAwait(false); // warm-up: JIT tiers, the cache
        var quiet = await MeasureAsync(client, auth, TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);

        // The reference: the same 16 clients flooding a cached GET /ping, so the ratio that is Argon2's (or the store's) can be
        // told from the one any closed-loop HTTP flood on these cores costs.
        var baseline = await FloodWhileMeasuringAsync(host, client, auth, seconds, create: false).ConfigureAwait(false);
        host.ResetCounts();
        var creates = await FloodWhileMeasuringAsync(host, client, auth, seconds, create: true).ConfigureAwait(false);

        Line(output, "create-flood", string.Create(CultureInfo.InvariantCulture,
            $"clients={Workers} seconds={seconds} create_calls={creates.Calls} create_calls_per_s={creates.Calls / (double)seconds:F0} statuses={creates.Statuses} results={creates.Results} argon2_hashes={host.Hasher.HashCalls} argon2_verifies={host.Hasher.VerifyCalls}"));
        Line(output, "create-flood cached-quiet", quiet.ToString());
        Line(output, "create-flood cached-during", creates.During.ToString());
        Line(output, "create-flood ratio", string.Create(CultureInfo.InvariantCulture,
            $"p50={creates.During.P50 / quiet.P50:F2}x p99={creates.During.P99 / quiet.P99:F2}x (during / quiet; target within 2x)"));
        Line(output, "ping-flood baseline", string.Create(CultureInfo.InvariantCulture,
            $"clients={Workers} calls={baseline.Calls} calls_per_s={baseline.Calls / (double)seconds:F0} cached-during: {baseline.During}"));
        Line(output, "create-flood ratio vs ping-flood", string.Create(CultureInfo.InvariantCulture,
            $"p50={creates.During.P50 / baseline.During.P50:F2}x p99={creates.During.P99 / baseline.During.P99:F2}x (create flood / a flood of cached requests)"));
        return host.Hasher.HashCalls == 0 ? 0 : 1;
    }

    private static async Task<int> AddressFloodAsync(TextWriter output, int addresses)
    {
        await using var host = await KestrelAttackHost.StartAsync().ConfigureAwait(false);
        var limiter = host.Services.GetRequiredService<ApiTokenVerifier>().ClientLimits;
        var selectorLength = new ApiTokenFormatOptions().SelectorLength;
        var selector = host.TargetToken[..selectorLength];
        var format = new ApiTokenFormat(new ApiTokenFormatOptions());

        // Warm the connections and JIT with the legitimate token (cached, loopback: not limited), then measure memory from here.
        using (var warm = host.CreateClient())
        {
            for (var i = 0; i < 50; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/ping");
                request.Headers.Authorization = new AuthenticationHeaderValue("whm", $"{AuthHost.UserName}:{host.RootToken}");
                using var response = await warm.SendAsync(request).ConfigureAwait(false);
            }
        }

        host.ResetCounts();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var statuses = new ConcurrentDictionary<HttpStatusCode, int>();
        var next = -1;
        var total = addresses * 2;
        var started = Stopwatch.GetTimestamp();
        var flood = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            using var attacker = host.CreateClient();
            int n;
            while ((n = Interlocked.Increment(ref next)) < total)
            {
                var index = n % addresses;
                var address = string.Create(CultureInfo.InvariantCulture, $"10.{(index >> 16) & 0xFF}.{(index >> 8) & 0xFF}.{index & 0xFF}");
                var wrong = selector + format.Generate().Value[selectorLength..];
                using var request = new HttpRequestMessage(HttpMethod.Get, "/ping");
                request.Headers.Authorization = new AuthenticationHeaderValue("whm", $"{AuthHost.UserName}:{wrong}");
                request.Headers.Add(KestrelAttackHost.ClientHeader, address);
                using var response = await attacker.SendAsync(request).ConfigureAwait(false);
                statuses.AddOrUpdate(response.StatusCode, 1, (_, c) => c + 1);
            }
        })).ToArray();
        await Task.WhenAll(flood).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var tracked = limiter.TrackedClients;
        var after = GC.GetTotalMemory(forceFullCollection: true);

        Line(output, "address-flood", string.Create(CultureInfo.InvariantCulture,
            $"addresses={addresses} requests={total} seconds={elapsed:F1} requests_per_s={total / elapsed:F0} statuses={Describe(statuses)}"));
        Line(output, "address-flood limiter", string.Create(CultureInfo.InvariantCulture,
            $"tracked_clients={tracked} managed_bytes_before={before} managed_bytes_after={after} delta_bytes={after - before} bytes_per_tracked_client={(tracked == 0 ? 0 : (after - before) / tracked)}"));
        Line(output, "address-flood cost", string.Create(CultureInfo.InvariantCulture,
            $"store_calls={host.StoreCalls} store_calls_per_request={host.StoreCalls / (double)total:F3} argon2_runs={host.Hasher.VerifyCalls + host.Hasher.HashCalls}"));
        return 0;
    }

    private static async Task<(int Calls, string Statuses, string Results, Latency During)> FloodWhileMeasuringAsync(
        KestrelAttackHost host, HttpClient client, AuthenticationHeaderValue auth, int seconds, bool create)
    {
        var statuses = new ConcurrentDictionary<HttpStatusCode, int>();
        var results = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var end = Stopwatch.GetTimestamp() + (seconds * Stopwatch.Frequency);
        var flood = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            using var attacker = host.CreateClient();
            while (Stopwatch.GetTimestamp() < end)
            {
                using var request = create
                    ? new HttpRequestMessage(HttpMethod.Post, "/json-api/api_token_create?api.version=1")
                    {
                        Content = new FormUrlEncodedContent([new("token_name", "existing")]),
                    }
                    : new HttpRequestMessage(HttpMethod.Get, "/ping");
                request.Headers.Authorization = auth;
                using var response = await attacker.SendAsync(request).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
                if (create)
                {
                    // A refusal's reason, once per distinct one (a refusal carries no token).
                    var reason = body.Contains("\"result\":1", StringComparison.Ordinal) ? "created"
                        : body.Split("\"reason\":", 2) is [_, var rest] ? rest.Split('"', 3)[1] : "refused";
                    results.AddOrUpdate(reason, 1, (_, n) => n + 1);
                }
            }
        })).ToArray();
        var during = await MeasureAsync(client, auth, TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
        await Task.WhenAll(flood).ConfigureAwait(false);
        return (statuses.Values.Sum(), Describe(statuses), string.Join(',', results.Select(r => $"{r.Key}:{r.Value}")), during);
    }

    private static async Task<Latency> MeasureAsync(HttpClient client, AuthenticationHeaderValue auth, TimeSpan duration)
    {
        var samples = new List<double>(100_000);
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/ping");
            request.Headers.Authorization = auth;
            var start = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request).ConfigureAwait(false);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"The cached request answered {(int)response.StatusCode}.");
            }
        }

        samples.Sort();
        return new Latency(samples.Count, samples[samples.Count / 2], samples[(int)(samples.Count * 0.99)], samples[^1]);
    }

    private static string Describe(ConcurrentDictionary<HttpStatusCode, int> statuses) =>
        string.Join(',', statuses.OrderBy(s => s.Key).Select(s => string.Create(CultureInfo.InvariantCulture, $"{(int)s.Key}:{s.Value}")));

    private static void Line(TextWriter output, string figure, string value) => output.WriteLine($"kestrel {figure}: {value}");

    private readonly record struct Latency(int Requests, double P50, double P99, double Max)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"requests={Requests} p50_us={P50:F1} p99_us={P99:F1} max_us={Max:F1}");
    }
}
