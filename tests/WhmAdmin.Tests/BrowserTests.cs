using System.Globalization;
using System.Net;
using Microsoft.Playwright;

namespace WhmAdmin.Tests;

/// <summary>
/// The sample in Chromium, as a newcomer uses it: log in at /login, generate a token on /tokens, use it with curl.
/// The page itself is tested thoroughly in tests/ApiTokens.Page.Tests; these prove the sample wires it up.
/// </summary>
public sealed class BrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private SampleHost _host = null!;
    private IBrowserContext? _context;
    private IPage _page = null!;
    private readonly List<string> _browserErrors = [];

    public async Task InitializeAsync()
    {
        _host = await SampleHost.StartAsync();
        if (browser.Browser is null)
        {
            return;
        }

        _context = await browser.Browser.NewContextAsync(new()
        {
            TimezoneId = "UTC",
            Locale = "en-US",
            ViewportSize = new() { Width = 1280, Height = 900 },
        });
        _page = await _context.NewPageAsync();
        _page.SetDefaultTimeout(30_000);
        _page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Text.Contains("status of 4", StringComparison.Ordinal))
            {
                _browserErrors.Add(m.Text);
            }
        };
        _page.PageError += (_, e) => _browserErrors.Add(e);
    }

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        await _host.DisposeAsync();
    }

    [SkippableFact]
    public async Task Root_LogsIn_GeneratesAToken_AndTheTokenWorksWithCurl()
    {
        await LogInAsync("root", SampleHost.RootPassword);
        await Expect(_page.Locator("#list-empty")).ToBeVisibleAsync();

        await Button("Generate Token").ClickAsync();
        await _page.GetByLabel("Name", new() { Exact = true }).FillAsync("my-first-token");
        await Button("Generate").ClickAsync();
        await Expect(_page.Locator("#created-name")).ToHaveTextAsync("my-first-token");
        var token = await _page.GetByLabel("Token", new() { Exact = true }).InputValueAsync();
        Assert.Matches("^[0-9A-Z]{32}$", token);
        await Button("Yes, I saved my token").ClickAsync();
        await Expect(Row("my-first-token")).ToBeVisibleAsync();

        // curl -H "Authorization: whm root:$TOKEN" http://localhost:5080/json-api/listaccts
        using var client = new HttpClient { BaseAddress = _host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/json-api/listaccts");
        request.Headers.TryAddWithoutValidation("Authorization", $"whm root:{token}");
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("\"user\":\"reseller\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain(token, _host.Log.AllText, StringComparison.Ordinal);
        Assert.Empty(_browserErrors);
    }

    [SkippableFact]
    public async Task WrongPassword_ShowsTheError_AndStaysOnTheLoginForm()
    {
        SkipWithoutBrowser();
        await _page.GotoAsync(_host.Url("/tokens"));
        await _page.GetByLabel("User name").FillAsync("root");
        await _page.GetByLabel("Password").FillAsync("not-the-password");
        await Button("Log in").ClickAsync();

        await Expect(_page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The user name or password is wrong.");
        Assert.EndsWith("/login", new Uri(_page.Url).AbsolutePath, StringComparison.Ordinal);
        await Expect(_page.GetByLabel("User name")).ToHaveValueAsync("root");

        // The return URL survives the failed attempt.
        await _page.GetByLabel("Password").FillAsync(SampleHost.RootPassword);
        await Button("Log in").ClickAsync();
        // Polls the address only: WaitForURL also waits for "load", which can be missed when the redirect lands before it subscribes.
        await Assertions.Expect(_page).ToHaveURLAsync(BrowserFixture.TokensUrl());
        await _page.Locator("body[data-ready='true']").WaitForAsync();
    }

    [SkippableFact]
    public async Task Reseller_WithoutManageApiTokens_GetsTheNotAllowedPage()
    {
        SkipWithoutBrowser();
        var root = await _host.CreateTokenWithCliAsync("root", "admin");
        await _host.CallAsync("setacls", "root", root, ("reseller", "reseller"), ("acl-list-accts", "1"), ("acl-basic-whm-functions", "1"));

        await LogInAsync("reseller", SampleHost.ResellerPassword, expectAllowed: false);
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "You are not allowed to manage API tokens" })).ToBeVisibleAsync();
        await Expect(Button("Generate Token")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// The two screenshots the README and docs show, taken from the sample. Written to the test output folder on every
    /// run, and to docs/screenshots/ when APITOKENS_UPDATE_SCREENSHOTS=1.
    /// </summary>
    [SkippableFact]
    public async Task Screenshots_OfTheListAndTheGenerateForm_AreTakenFromTheSample()
    {
        SkipWithoutBrowser();
        var now = DateTimeOffset.UtcNow;
        await _host.CreateTokenWithCliAsync("reseller", "backup-script", "list-accts", "acct-summary");
        await _host.CliAsync("tokens", "create", "--user", "reseller", "--name", "ci-deploy", "--acl", "create-acct", "--acl", "list-accts",
            "--expires-at", now.AddDays(30).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        await _host.CliAsync("tokens", "create", "--user", "reseller", "--name", "nightly-report", "--acl", "list-accts",
            "--expires-at", now.AddHours(6).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        await LogInAsync("reseller", SampleHost.ResellerPassword);
        await _page.SetViewportSizeAsync(1100, 560);
        await Expect(_page.Locator("#token-rows tr")).ToHaveCountAsync(3);

        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var list = Path.Combine(folder, "tokens-list.png");
        await _page.ScreenshotAsync(new() { Path = list });

        await Button("Generate Token").ClickAsync();
        await _page.GetByLabel("Name", new() { Exact = true }).FillAsync("deploy-bot");
        await _page.Locator("#token-expires").FillAsync(now.AddDays(90).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await _page.Locator("#token-whitelist").FillAsync("198.51.100.0/24");
        await _page.GetByLabel("Name", new() { Exact = true }).FocusAsync();
        var generate = Path.Combine(folder, "generate-token.png");
        await _page.ScreenshotAsync(new() { Path = generate, FullPage = true });

        foreach (var file in new[] { list, generate })
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.Length > 10_000, $"{file} is only {bytes.Length} bytes.");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        }

        if (Environment.GetEnvironmentVariable("APITOKENS_UPDATE_SCREENSHOTS") == "1")
        {
            var docs = Path.Combine(FindRepositoryRoot(), "docs", "screenshots");
            Directory.CreateDirectory(docs);
            File.Copy(list, Path.Combine(docs, "tokens-list.png"), overwrite: true);
            File.Copy(generate, Path.Combine(docs, "generate-token.png"), overwrite: true);
        }
    }

    private void SkipWithoutBrowser() => Skip.If(browser.Browser is null, browser.SkipReason);

    /// <summary>Opens <c>/</c>, is sent to <c>/tokens</c> and then <c>/login</c>, logs in, and waits for the page.</summary>
    private async Task LogInAsync(string user, string password, bool expectAllowed = true)
    {
        SkipWithoutBrowser();
        await _page.GotoAsync(_host.Url("/"));
        Assert.Equal("/login", new Uri(_page.Url).AbsolutePath);
        await _page.GetByLabel("User name").FillAsync(user);
        await _page.GetByLabel("Password").FillAsync(password);
        await Button("Log in").ClickAsync();
        // Polls the address only: WaitForURL also waits for "load", which can be missed when the redirect lands before it subscribes.
        await Assertions.Expect(_page).ToHaveURLAsync(BrowserFixture.TokensUrl());
        if (expectAllowed)
        {
            await _page.Locator("body[data-ready='true']").WaitForAsync();
        }
    }

    private ILocator Row(string name) => _page.Locator($"#token-rows tr[data-name='{name}']");

    private ILocator Button(string name) => _page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ApiTokens.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with ApiTokens.sln) was not found above " + AppContext.BaseDirectory);
    }
}
