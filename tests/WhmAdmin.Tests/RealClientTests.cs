using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WhmAdmin.Tests;

/// <summary>
/// The sample driven by a real third-party WHM client from the npm registry (cpanel-lib, pinned in
/// tests/WhmClients/package-lock.json, used unchanged): <c>node tests/WhmClients/drive.js</c> runs against the sample
/// on Kestrel (127.0.0.1) with a root API token, and again with a converted legacy access hash; each test reads what
/// the client saw for its calls.
/// No node, or no tests/WhmClients/node_modules (<c>npm ci</c> there): skipped with the reason, failing when CI=true.
/// </summary>
public sealed partial class RealClientTests(RealClientTests.Drive drive) : IClassFixture<RealClientTests.Drive>
{
    private const string Account = "driveclient";
    private const string Domain = Account + ".example.com";

    [GeneratedRegex(@"^11\.\d+\.\d+\.\d+$")]
    private static partial Regex CpanelBuild();

    [SkippableFact]
    public void Drive_ExitsZero_EveryCallAnsweredAsWhmDoes()
    {
        drive.Require();
        var run = drive.TokenRun;
        Assert.True(run.ExitCode == 0, $"drive.js exited {run.ExitCode}.\n{run.Failures}\n{run.StdErr}");
        Assert.Equal(24, run.Calls.Count);
    }

    [SkippableFact]
    public void LegacyAccessHash_ConvertedWithTheCli_DrivesEveryCallAsWhm()
    {
        // The client's own use: accessKey is the Remote Access Key, sent as "WHM root:<access hash>" (960 characters).
        drive.Require();
        var run = drive.AccessHashRun;
        Assert.True(run.ExitCode == 0, $"drive.js with the access hash exited {run.ExitCode}.\n{run.Failures}\n{run.StdErr}");
        Assert.Equal(24, run.Calls.Count);
        Assert.Equal(403, run.Calls["version with a bad token"].GetProperty("http").GetProperty("status").GetInt32());
    }

    [SkippableFact]
    public void Version_ReadsACpanelBuildString_InApi0AndApi1()
    {
        drive.Require();
        var api0 = drive.Call("version", 200);
        Assert.Matches(CpanelBuild(), Text(api0, "result", "version")); // res.version, as the client's README reads it

        var api1 = drive.Call("version api.version=1", 200);
        Assert.Equal(1, Number(api1, "result", "metadata", "result"));
        Assert.Matches(CpanelBuild(), Text(api1, "result", "data", "version"));
    }

    [SkippableFact]
    public void Listaccts_Api0_ListsTheResellerButNeverRoot()
    {
        drive.Require();
        var list = drive.Call("listaccts", 200);
        Assert.Equal(1, Number(list, "result", "status"));
        var users = At(list, "result", "acct").EnumerateArray().Select(a => a.GetProperty("user").GetString()).ToList();
        Assert.Contains("reseller", users);
        Assert.DoesNotContain("root", users);
    }

    [SkippableFact]
    public void AccountCalls_CreateSuspendModifyRemove_AnswerAsWhm()
    {
        drive.Require();
        Assert.Equal(1, Number(drive.Call("createacct", 200), "result", "result", "0", "status"));

        var created = drive.Call("listaccts search", 200);
        var entry = Assert.Single(At(created, "result", "data", "acct").EnumerateArray());
        Assert.Equal(Account, Text(entry, "user"));
        Assert.Equal(Domain, Text(entry, "domain"));
        Assert.Equal("root", Text(entry, "owner"));
        Assert.Equal(0, Number(entry, "suspended"));

        Assert.Equal(1, Number(drive.Call("suspendacct", 200), "result", "result", "0", "status"));
        Assert.Equal(1, Number(drive.Call("suspendacct again", 200), "result", "result", "0", "status")); // idempotent
        var suspended = Assert.Single(At(drive.Call("listaccts want suspended", 200), "result", "acct").EnumerateArray());
        Assert.Equal(1, Number(suspended, "suspended"));
        Assert.Equal("Unpaid invoice 42", Text(suspended, "suspendreason"));
        Assert.Equal(["suspended", "suspendreason", "user"], suspended.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        Assert.Equal(1, Number(drive.Call("unsuspendacct", 200), "result", "result", "0", "status"));
        Assert.Equal(1, Number(drive.Call("modifyacct", 200), "result", "metadata", "result")); // only user is required
        var modified = Assert.Single(At(drive.Call("listaccts want email", 200), "result", "acct").EnumerateArray());
        Assert.Equal("ops@" + Domain, Text(modified, "email"));
        Assert.Equal(0, Number(modified, "suspended"));

        Assert.Equal(1, Number(drive.Call("removeacct", 200), "result", "result", "0", "status")); // by username
        var removed = drive.Call("listaccts after removeacct", 200);
        Assert.Equal(1, Number(removed, "result", "metadata", "result"));
        Assert.False(At(removed, "result").TryGetProperty("data", out _), "listaccts with no match has no data");
    }

    [SkippableFact]
    public void Setacls_WithAclNameKeys_AnswersTheAclsNowHeld()
    {
        drive.Require();
        var setacls = drive.Call("setacls", 200);
        Assert.Equal(1, Number(setacls, "result", "metadata", "result"));
        var acl = At(setacls, "result", "data", "acl");
        var held = acl.ValueKind == JsonValueKind.Array
            ? acl.EnumerateArray().Select(a => a.GetString() ?? "").ToList()
            : acl.EnumerateObject().Where(p => p.Value.ToString() == "1").Select(p => p.Name).ToList();
        Assert.Contains("list-accts", held);
        Assert.Contains("create-acct", held);
    }

    [SkippableFact]
    public void TokenCalls_CreateListUpdateDetailsRevoke_ThroughTheClient()
    {
        drive.Require();
        var created = drive.Call("api_token_create", 200); // no api.version: the token calls answer API 1 anyway
        Assert.Equal(1, Number(created, "result", "metadata", "result"));
        Assert.Equal("drive-limited", Text(created, "result", "data", "name"));
        Assert.StartsWith("<redacted, ", Text(created, "result", "data", "token"), StringComparison.Ordinal);

        var listed = At(drive.Call("api_token_list", 200), "result", "data", "tokens", "drive-limited", "acls");
        Assert.Equal(1, Number(listed, "list-accts"));
        Assert.Equal(0, Number(listed, "create-acct"));

        Assert.Equal("drive-renamed", Text(drive.Call("api_token_update", 200), "result", "data", "name"));
        var details = drive.Call("api_token_get_details", 200);
        Assert.Equal("drive-renamed", Text(details, "result", "data", "name"));
        Assert.Equal(["list-accts"], At(details, "result", "data", "acls").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(1, Number(drive.Call("api_token_revoke", 200), "result", "metadata", "result"));
    }

    [SkippableFact]
    public void LimitedToken_ListsAccounts_ButCreateacctIsPermissionDenied()
    {
        drive.Require();
        Assert.Equal(1, Number(drive.Call("listaccts with the limited token", 200), "result", "status"));
        var refused = drive.Call("createacct with the limited token", 403);
        Assert.Equal(0, Number(refused, "result", "status"));
        Assert.Equal("Permission Denied", Text(refused, "result", "statusmsg"));
    }

    [SkippableTheory]
    [InlineData("version with the revoked token")]
    [InlineData("version with a bad token")]
    public void RefusedToken_Gets403TextPlainAccessDenied(string call)
    {
        drive.Require();
        var refused = drive.Call(call, 403);
        Assert.Equal("text/plain", Text(refused, "http", "type"));
        Assert.True(At(refused, "error").ValueKind == JsonValueKind.Null, refused.GetRawText()); // the client could read the body
        Assert.Equal(
            """{"apiversion":"2","error":"Access denied","data":{"reason":"Access denied","result":"0"},"type":"text"}""",
            At(refused, "result", "cpanelresult").GetRawText());
    }

    [SkippableFact]
    public void UnknownFunction_AnswersTheEnvelopeWithResult0()
    {
        drive.Require();
        var unknown = drive.Call("unknown function", null);
        Assert.True(At(unknown, "error").ValueKind == JsonValueKind.Null, unknown.GetRawText()); // the client could read the answer
        Assert.Equal("no_such_function", Text(unknown, "result", "metadata", "command"));
        Assert.Equal(0, Number(unknown, "result", "metadata", "result"));
    }

    [SkippableFact]
    public void Drive_NeverPrintsOrLogsTheTokenOrAccessHash()
    {
        drive.Require();
        Assert.False(drive.StdOut.Contains(drive.Token, StringComparison.Ordinal), "drive.js printed the root token");
        Assert.False(drive.StdErr.Contains(drive.Token, StringComparison.Ordinal), "drive.js printed the root token");
        Assert.False(drive.ServerLog.Contains(drive.Token, StringComparison.Ordinal), "the sample logged the root token");
        Assert.False(drive.AccessHashRun.StdOut.Contains(drive.AccessHash[..32], StringComparison.Ordinal), "drive.js printed the access hash");
        Assert.False(drive.ServerLog.Contains(drive.AccessHash[..32], StringComparison.Ordinal), "the sample logged the access hash");
    }

    /// <summary>The value at <paramref name="path"/> (property names, array indexes), asserting it is there.</summary>
    private static JsonElement At(JsonElement element, params string[] path)
    {
        var found = element;
        foreach (var step in path)
        {
            found = found.ValueKind == JsonValueKind.Array && int.TryParse(step, out var index)
                ? found.EnumerateArray().ElementAtOrDefault(index)
                : found.ValueKind == JsonValueKind.Object && found.TryGetProperty(step, out var next) ? next : default;
            Assert.True(found.ValueKind != JsonValueKind.Undefined, $"no {string.Join('.', path)} in {element.GetRawText()}");
        }

        return found;
    }

    private static string? Text(JsonElement element, params string[] path) => At(element, path).GetString();

    private static int Number(JsonElement element, params string[] path) => At(element, path).GetInt32();

    /// <summary>One run of drive.js: its exit code, output, and each JSON line by its <c>call</c> name.</summary>
    public sealed record DriveRun(int ExitCode, string StdOut, string StdErr, IReadOnlyDictionary<string, JsonElement> Calls)
    {
        public static readonly DriveRun None = new(-1, "", "", new Dictionary<string, JsonElement>());

        /// <summary>The calls that did not answer as WHM does, with drive.js's reasons.</summary>
        public string Failures => string.Join("\n", Calls.Values
            .Where(c => !c.GetProperty("ok").GetBoolean())
            .Select(c => $"{c.GetProperty("call").GetString()}: {string.Join("; ", c.GetProperty("problems").EnumerateArray().Select(p => p.GetString()))}"));
    }

    /// <summary>
    /// Runs drive.js for the class against one sample on Kestrel: once with a root API token from the CLI, once with a
    /// legacy access hash turned into a token by <c>tokens convert-accesshash</c> (the client's own <c>accessKey</c>).
    /// </summary>
    public sealed class Drive : IAsyncLifetime
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

        private SampleHost? _host;

        public string? SkipReason { get; private set; }

        /// <summary>The run with the root API token.</summary>
        public DriveRun TokenRun { get; private set; } = DriveRun.None;

        /// <summary>The run with the converted access hash.</summary>
        public DriveRun AccessHashRun { get; private set; } = DriveRun.None;

        public int ExitCode => TokenRun.ExitCode;

        public string StdOut => TokenRun.StdOut;

        public string StdErr => TokenRun.StdErr;

        /// <summary>Each JSON line of the token run by its <c>call</c> name.</summary>
        public IReadOnlyDictionary<string, JsonElement> Calls => TokenRun.Calls;

        public string ServerLog { get; private set; } = "";

        public string Token { get; private set; } = "";

        public string AccessHash { get; private set; } = "";

        public async Task InitializeAsync()
        {
            var clients = FindClientsDirectory();
            var node = FindNode();
            if (clients is null)
            {
                SkipReason = "tests/WhmClients was not found above " + AppContext.BaseDirectory + ".";
                return;
            }

            if (node is null)
            {
                SkipReason = Environment.GetEnvironmentVariable("APITOKENS_NODE") is { Length: > 0 } configured
                    ? $"APITOKENS_NODE={configured} does not exist."
                    : "node was not found on PATH (apt-get install nodejs npm, or set APITOKENS_NODE to its path).";
                return;
            }

            if (!Directory.Exists(Path.Combine(clients, "node_modules", "cpanel-lib")))
            {
                SkipReason = $"{Path.Combine(clients, "node_modules")} has no cpanel-lib: run `npm ci --no-audit --no-fund` in {clients}.";
                return;
            }

            // Both credentials are made with the CLI before the sample starts: a running server learns of a converted
            // access hash only within ApiTokens:LegacyTokenRefreshInterval, on restart, or through a backplane.
            _host = new SampleHost();
            Token = await _host.CreateTokenWithCliAsync("root", "real-client");

            // As WHM writes /root/.accesshash: 30 lines of 32 lower-case letters and digits; scripts send it joined.
            var lines = Enumerable.Range(0, 30).Select(_ => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 32)).ToList();
            AccessHash = string.Concat(lines);
            var file = Path.Combine(Path.GetTempPath(), "whmadmin-accesshash-" + Guid.NewGuid().ToString("N"));
            await File.WriteAllLinesAsync(file, lines);
            try
            {
                var (code, _, stderr) = await _host.CliAsync("tokens", "convert-accesshash", "--user", "root", "--file", file);
                Assert.True(code == 0, stderr);
            }
            finally
            {
                File.Delete(file);
            }

            await _host.StartAppAsync();
            TokenRun = await RunAsync(node, clients, Token, Account);
            AccessHashRun = await RunAsync(node, clients, AccessHash, Account + "h");
            ServerLog = _host.Log.AllText;
        }

        public async Task DisposeAsync()
        {
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
        }

        /// <summary><c>node drive.js &lt;sample&gt; root</c> with <paramref name="secret"/> in WHM_TOKEN (never an argument), bounded in time.</summary>
        private async Task<DriveRun> RunAsync(string node, string clients, string secret, string account)
        {
            var start = new ProcessStartInfo(node)
            {
                WorkingDirectory = clients,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("drive.js");
            start.ArgumentList.Add(_host!.BaseAddress.ToString().TrimEnd('/'));
            start.ArgumentList.Add("root");
            start.Environment["WHM_TOKEN"] = secret;
            start.Environment["WHM_DRIVE_ACCOUNT"] = account;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var stopped = false;
            using (var timeout = new CancellationTokenSource(Timeout))
            {
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                    stopped = true;
                }
            }

            var output = await stdout;
            var errors = await stderr + (stopped ? $"\n(drive.js was stopped after {Timeout.TotalSeconds} s)" : "");
            var calls = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    calls[doc.RootElement.GetProperty("call").GetString()!] = doc.RootElement.Clone();
                }
                catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    errors += $"\n(not a drive.js line: {line})";
                }
            }

            return new DriveRun(process.ExitCode, output, errors, calls);
        }

        /// <summary>Skips with the reason when node or the client is missing; fails instead when CI=true.</summary>
        public void Require()
        {
            if (SkipReason is not null)
            {
                Assert.False(
                    string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
                    "CI=true and " + SkipReason);
                Skip.If(true, SkipReason);
            }
        }

        /// <summary>The line of <paramref name="call"/>, asserting the HTTP status the client received (unless null).</summary>
        public JsonElement Call(string call, int? status)
        {
            Assert.True(Calls.TryGetValue(call, out var line), $"drive.js printed no line for “{call}” (exit {ExitCode}): {StdErr}");
            if (status is not null)
            {
                var http = line.GetProperty("http");
                Assert.True(
                    http.ValueKind == JsonValueKind.Object && http.GetProperty("status").GetInt32() == status,
                    $"{call}: WHM answers HTTP {status}; the client saw {line.GetRawText()}");
            }

            return line;
        }

        private static string? FindClientsDirectory()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "WhmClients");
                if (File.Exists(Path.Combine(candidate, "drive.js")))
                {
                    return candidate;
                }
            }

            return null;
        }

        private static string? FindNode()
        {
            if (Environment.GetEnvironmentVariable("APITOKENS_NODE") is { Length: > 0 } configured)
            {
                return File.Exists(configured) ? configured : null;
            }

            return (Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, "node"))
                .FirstOrDefault(File.Exists);
        }
    }
}
