using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WhmAdmin.Tests;

/// <summary>
/// The sample driven by a real third-party WHM client from the npm registry (cpanel-lib, pinned in
/// tests/WhmClients/package-lock.json, used unchanged): <c>node tests/WhmClients/drive.js</c> runs once against the
/// sample on Kestrel (127.0.0.1) with a root token, and each test reads what the client saw for its calls.
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
        var failures = drive.Calls.Values
            .Where(c => !c.GetProperty("ok").GetBoolean())
            .Select(c => $"{c.GetProperty("call").GetString()}: {string.Join("; ", c.GetProperty("problems").EnumerateArray().Select(p => p.GetString()))}");
        Assert.True(drive.ExitCode == 0, $"drive.js exited {drive.ExitCode}.\n{string.Join("\n", failures)}\n{drive.StdErr}");
        Assert.Equal(24, drive.Calls.Count);
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
    public void Drive_NeverPrintsOrLogsTheToken()
    {
        drive.Require();
        Assert.False(drive.StdOut.Contains(drive.Token, StringComparison.Ordinal), "drive.js printed the root token");
        Assert.False(drive.StdErr.Contains(drive.Token, StringComparison.Ordinal), "drive.js printed the root token");
        Assert.False(drive.ServerLog.Contains(drive.Token, StringComparison.Ordinal), "the sample logged the root token");
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

    /// <summary>Runs drive.js once for the class: the sample on Kestrel, a root token from the CLI, node as a child process.</summary>
    public sealed class Drive : IAsyncLifetime
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

        private SampleHost? _host;

        public string? SkipReason { get; private set; }

        public int ExitCode { get; private set; }

        public string StdOut { get; private set; } = "";

        public string StdErr { get; private set; } = "";

        public string ServerLog { get; private set; } = "";

        public string Token { get; private set; } = "";

        /// <summary>Each JSON line of drive.js by its <c>call</c> name.</summary>
        public Dictionary<string, JsonElement> Calls { get; } = new(StringComparer.Ordinal);

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

            _host = await SampleHost.StartAsync();
            Token = await _host.CreateTokenWithCliAsync("root", "real-client");
            var start = new ProcessStartInfo(node)
            {
                WorkingDirectory = clients,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("drive.js");
            start.ArgumentList.Add(_host.BaseAddress.ToString().TrimEnd('/'));
            start.ArgumentList.Add("root");
            start.Environment["WHM_TOKEN"] = Token; // the environment, never an argument
            start.Environment["WHM_DRIVE_ACCOUNT"] = Account;
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

            ExitCode = process.ExitCode;
            StdOut = await stdout;
            StdErr = await stderr + (stopped ? $"\n(drive.js was stopped after {Timeout.TotalSeconds} s)" : "");
            foreach (var line in StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    Calls[doc.RootElement.GetProperty("call").GetString()!] = doc.RootElement.Clone();
                }
                catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    StdErr += $"\n(not a drive.js line: {line})";
                }
            }

            ServerLog = _host.Log.AllText;
        }

        public async Task DisposeAsync()
        {
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
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
