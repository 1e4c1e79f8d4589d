using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WhmAdmin;

namespace WhmAdmin.Tests;

/// <summary>
/// The real sample on Kestrel (127.0.0.1, a free port) over a temp SQLite file, light Argon2 parameters,
/// every log line captured. The CLI runs in-process against the same file.
/// </summary>
public sealed class SampleHost : IAsyncDisposable
{
    /// <summary>root's password in these tests (WhmAdmin:RootPassword).</summary>
    public const string RootPassword = "root-test-password";

    /// <summary>The seeded reseller's password in these tests (WhmAdmin:ResellerPassword).</summary>
    public const string ResellerPassword = "reseller-test-password";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "whmadmin-tests-" + Guid.NewGuid().ToString("N"));
    private readonly bool _configurePasswords;
    private readonly string[] _settings;
    private WebApplication? _app;

    /// <param name="configurePasswords">false leaves WhmAdmin:RootPassword at its dev default.</param>
    /// <param name="settings">More configuration for the app and the CLI, as <c>--Key=value</c> arguments.</param>
    public SampleHost(bool configurePasswords = true, params string[] settings)
    {
        _configurePasswords = configurePasswords;
        _settings = settings;
        Directory.CreateDirectory(_directory);
    }

    /// <summary>The running app's services.</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The app is not running.");

    public string DatabaseFile => Path.Combine(_directory, "whmadmin.db");

    public CapturingLoggerProvider Log { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    private string[] ConfigArgs =>
    [
        $"--ConnectionStrings:ApiTokens=Data Source={DatabaseFile}",
        "--ApiTokens:Hashing:MemoryCost=64",
        "--ApiTokens:Hashing:TimeCost=1",
        "--ApiTokens:Hashing:Parallelism=1",
        .. _configurePasswords ? new[] { $"--WhmAdmin:RootPassword={RootPassword}", $"--WhmAdmin:ResellerPassword={ResellerPassword}" } : [],
        .. _settings,
    ];

    public Uri BaseAddress => Client.BaseAddress!;

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>Starts the sample; <paramref name="configurePasswords"/> false leaves WhmAdmin:RootPassword at its dev default.</summary>
    public static async Task<SampleHost> StartAsync(bool configurePasswords = true, params string[] settings)
    {
        var host = new SampleHost(configurePasswords, settings);
        await host.StartAppAsync();
        return host;
    }

    public async Task StartAppAsync()
    {
        _app = WhmAdminApp.Build(["--urls=http://127.0.0.1:0", .. ConfigArgs], ConfigureLogging);
        await WhmAdminApp.InitializeDatabaseAsync(_app.Services);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    /// <summary>Another instance of the sample on the same database, built but neither initialized nor started.</summary>
    public WebApplication BuildInstance() => WhmAdminApp.Build(["--urls=http://127.0.0.1:0", .. ConfigArgs], ConfigureLogging);

    public async Task StopAppAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// Runs <c>tokens …</c> in-process as Program.cs does (its own host over the same database, the library's
    /// <c>RunApiTokensCommandsAsync</c>); returns the exit code and standard output/error.
    /// </summary>
    public async Task<(int ExitCode, string StdOut, string StdErr)> CliAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] all = [.. args, .. ConfigArgs];
        int? code;
        await using (var cli = WhmAdminApp.Build(all, ConfigureLogging))
        {
            await WhmAdminApp.InitializeDatabaseAsync(cli.Services);
            code = await cli.RunApiTokensCommandsAsync(all, stdout, stderr);
        }

        SqliteConnection.ClearAllPools();
        Assert.NotNull(code); // args starting with "tokens" always run the command
        return (code.Value, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Bootstraps a token with the CLI and returns the last line of standard output.</summary>
    public async Task<string> CreateTokenWithCliAsync(string user, string name, params string[] acls)
    {
        var args = new List<string> { "tokens", "create", "--user", user, "--name", name };
        foreach (var acl in acls)
        {
            args.Add("--acl");
            args.Add(acl);
        }

        var (code, stdout, stderr) = await CliAsync([.. args]);
        Assert.True(code == 0, stderr);
        return stdout.TrimEnd().Split('\n')[^1].Trim();
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? user, string? token, params (string Name, string Value)[] form)
    {
        var request = new HttpRequestMessage(method, path);
        if (user is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"whm {user}:{token}");
        }

        if (method == HttpMethod.Post)
        {
            request.Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        }

        return Client.SendAsync(request);
    }

    /// <summary>POSTs a WHM API 1 call (adding <c>api.version=1</c> unless given) and returns the parsed envelope (asserting HTTP 200).</summary>
    public async Task<JsonElement> CallAsync(string function, string user, string token, params (string Name, string Value)[] form)
    {
        if (!form.Any(f => f.Name == "api.version"))
        {
            form = [.. form, ("api.version", "1")];
        }

        using var response = await SendAsync(HttpMethod.Post, "/json-api/" + function, user, token, form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement.Clone();
        Assert.Equal(function, root.GetProperty("metadata").GetProperty("command").GetString());
        Assert.Equal(1, root.GetProperty("metadata").GetProperty("version").GetInt32());
        return root;
    }

    /// <summary>cpsrvd's answer to any refused credential on a WHM route (HTTP 403, text/plain), the same for every reason.</summary>
    public const string AccessDenied =
        """{"cpanelresult":{"apiversion":"2","error":"Access denied","data":{"reason":"Access denied","result":"0"},"type":"text"}}""";

    /// <summary>Asserts that <paramref name="response"/> is WHM's refusal of the credentials (not a missing privilege).</summary>
    public static async Task AssertAccessDeniedAsync(HttpResponseMessage response)
    {
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(AccessDenied, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GETs <paramref name="path"/> with the token and asserts WHM's refusal of the credentials.</summary>
    public async Task AssertRefusedAsync(string user, string token, string path = "/json-api/version")
    {
        using var response = await SendAsync(HttpMethod.Get, path, user, token);
        await AssertAccessDeniedAsync(response);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAppAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void ConfigureLogging(WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders().AddProvider(Log).SetMinimumLevel(LogLevel.Debug);
    }
}
