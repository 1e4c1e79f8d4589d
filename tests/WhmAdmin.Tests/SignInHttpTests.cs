using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace WhmAdmin.Tests;

/// <summary>The sample's cookie sign-in as a browser without JavaScript would use it, next to the token API.</summary>
public sealed partial class SignInHttpTests : IAsyncLifetime
{
    private SampleHost _host = null!;

    public async Task InitializeAsync() => _host = await SampleHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Root_RedirectsToTokens_WhichRedirectsToLogin_WithALocalReturnUrl()
    {
        using var browser = NewBrowser();
        using var root = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/tokens", root.Headers.Location!.OriginalString);

        using var tokens = await browser.GetAsync("/tokens");
        Assert.Equal(HttpStatusCode.Redirect, tokens.StatusCode);
        Assert.Equal("/login", tokens.Headers.Location!.AbsolutePath);
        Assert.Equal("?ReturnUrl=%2Ftokens", tokens.Headers.Location!.Query);
    }

    [Fact]
    public async Task JsonApi_WithoutAToken_IsWhmsAccessDenied_NeverARedirect_EvenWithASession()
    {
        using var browser = NewBrowser();
        using (var anonymous = await browser.GetAsync("/json-api/listaccts"))
        {
            await SampleHost.AssertAccessDeniedAsync(anonymous); // cpsrvd's 403, as WHM clients expect
        }

        using (var login = await LogInAsync(browser, "root", SampleHost.RootPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }

        // A session cookie carries no privileges: the account calls need a token, so a forged cross-site POST gets nowhere.
        using var withSession = await browser.PostAsync("/json-api/createacct?username=evil&domain=evil.example.com", null);
        await SampleHost.AssertAccessDeniedAsync(withSession); // the WHM routes answer the whm scheme only
        var root = await _host.CreateTokenWithCliAsync("root", "check");
        using var accounts = await _host.SendAsync(HttpMethod.Get, "/json-api/listaccts", "root", root);
        Assert.Equal(HttpStatusCode.OK, accounts.StatusCode);
        Assert.DoesNotContain("evil", await accounts.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithTheConfiguredPassword_OpensThePage_AndGoesOnlyToLocalReturnUrls()
    {
        using var browser = NewBrowser();
        using var login = await LogInAsync(browser, "root", SampleHost.RootPassword, returnUrl: "//evil.example/tokens");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/tokens", login.Headers.Location!.OriginalString);

        using var page = await browser.GetAsync("/tokens");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("API Tokens", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Login of root from", _host.Log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(SampleHost.RootPassword, _host.Log.AllText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("root", "wrong-password")]
    [InlineData("nobody", SampleHost.RootPassword)]
    [InlineData("Root", SampleHost.RootPassword)]
    public async Task Login_WithAWrongUserOrPassword_IsRefused(string user, string password)
    {
        using var browser = NewBrowser();
        using var login = await LogInAsync(browser, user, password);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Contains("The user name or password is wrong.", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var page = await browser.GetAsync("/tokens");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task Login_WithoutTheAntiforgeryToken_IsRefused()
    {
        using var browser = NewBrowser();
        using var login = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "root",
            ["password"] = SampleHost.RootPassword,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Contains("Your login form expired.", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Cookies.GetCookies(_host.BaseAddress), c => c.Name == "whmadmin");
    }

    [Fact]
    public async Task SuspendedAccount_CannotLogIn_AndItsOpenSessionEnds()
    {
        var root = await _host.CreateTokenWithCliAsync("root", "admin");
        using var browser = NewBrowser();
        using (var login = await LogInAsync(browser, "reseller", SampleHost.ResellerPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }

        Assert.Equal(1, (await _host.CallAsync("suspendacct", "root", root, ("user", "reseller"))).GetProperty("metadata").GetProperty("result").GetInt32());

        using (var open = await browser.GetAsync("/tokens"))
        {
            Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
            Assert.Equal("/login", open.Headers.Location!.AbsolutePath);
        }

        using var again = await LogInAsync(browser, "reseller", SampleHost.ResellerPassword);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("This account is suspended.", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_NeedsTheAntiforgeryToken_ThenEndsTheSession()
    {
        using var browser = NewBrowser();
        (await LogInAsync(browser, "root", SampleHost.RootPassword)).Dispose();

        using (var forged = await browser.PostAsync("/logout", null))
        {
            Assert.Equal(HttpStatusCode.OK, forged.StatusCode); // the logout form again, still signed in
        }

        using (var stillIn = await browser.GetAsync("/tokens"))
        {
            Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        }

        var form = await browser.GetStringAsync("/logout");
        using (var logout = await browser.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [FieldName(form)] = FieldValue(form),
        })))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
            Assert.Equal("/login", logout.Headers.Location!.OriginalString);
        }

        using var after = await browser.GetAsync("/tokens");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task Passwords_AreStoredOnlyAsHashes()
    {
        await _host.StopAppAsync();
        var bytes = await File.ReadAllBytesAsync(_host.DatabaseFile);
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.DoesNotContain(SampleHost.RootPassword, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SampleHost.ResellerPassword, text, StringComparison.Ordinal);

        await using var connection = new SqliteConnection($"Data Source={_host.DatabaseFile}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT user_name, password_hash FROM whm_accounts ORDER BY user_name";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string User, string Hash)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        Assert.Equal(["reseller", "root"], rows.Select(r => r.User));
        Assert.All(rows, r => Assert.StartsWith("AQAAAA", r.Hash, StringComparison.Ordinal)); // Identity v3: PBKDF2, salted
        Assert.NotEqual(rows[0].Hash, rows[1].Hash);
    }

    [Fact]
    public async Task DevDefaultPassword_WorksAndLogsAWarningAtStart()
    {
        await using var host = await SampleHost.StartAsync(configurePasswords: false);
        Assert.Contains("root's password is the development default", host.Log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("development default", _host.Log.AllText, StringComparison.Ordinal);

        using var browser = NewBrowser(host);
        using var login = await LogInAsync(browser, "root", "change-me-dev-only");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        // Without WhmAdmin:ResellerPassword the reseller has no password and cannot log in.
        using var resellerBrowser = NewBrowser(host);
        using var reseller = await LogInAsync(resellerBrowser, "reseller", "anything");
        Assert.Equal(HttpStatusCode.BadRequest, reseller.StatusCode);
    }

    [Fact]
    public async Task ChangingTheConfiguredPasswordLater_IsIgnoredWithAWarning()
    {
        await _host.StopAppAsync();
        await using var restarted = new SampleHost(configurePasswords: false);
        File.Copy(_host.DatabaseFile, restarted.DatabaseFile);
        await restarted.StartAppAsync();
        Assert.Contains("WhmAdmin:RootPassword does not match root's stored password", restarted.Log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("development default", restarted.Log.AllText, StringComparison.Ordinal);

        using var browser = NewBrowser(restarted);
        using var login = await LogInAsync(browser, "root", SampleHost.RootPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
    }

    private BrowserClient NewBrowser(SampleHost? host = null) => new((host ?? _host).BaseAddress);

    private async Task<HttpResponseMessage> LogInAsync(BrowserClient browser, string user, string password, string? returnUrl = null)
    {
        var form = await browser.GetStringAsync("/login" + (returnUrl is null ? string.Empty : "?ReturnUrl=" + Uri.EscapeDataString(returnUrl)));
        var fields = new Dictionary<string, string>
        {
            [FieldName(form)] = FieldValue(form),
            ["username"] = user,
            ["password"] = password,
        };
        if (returnUrl is not null)
        {
            fields["returnUrl"] = returnUrl;
        }

        return await browser.PostAsync("/login", new FormUrlEncodedContent(fields));
    }

    private static string FieldName(string html) => AntiforgeryField().Match(html).Groups["name"].Value;

    private static string FieldValue(string html) => AntiforgeryField().Match(html).Groups["value"].Value;

    [GeneratedRegex("""<input type="hidden" name="(?<name>__RequestVerificationToken)" value="(?<value>[^"]+)">""")]
    private static partial Regex AntiforgeryField();

    /// <summary>An HttpClient with a cookie jar that does not follow redirects, so each hop can be checked.</summary>
    private sealed class BrowserClient : HttpClient
    {
        public BrowserClient(Uri baseAddress)
            : this(new CookieContainer(), baseAddress)
        {
        }

        private BrowserClient(CookieContainer cookies, Uri baseAddress)
            : base(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }, disposeHandler: true)
        {
            Cookies = cookies;
            BaseAddress = baseAddress;
        }

        public CookieContainer Cookies { get; }
    }
}
