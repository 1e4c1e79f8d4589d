using System.Net;
using System.Security.Claims;
using ApiTokens.Authorization;
using ApiTokens.Testing;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiTokens.Tests.Authorization;

/// <summary>
/// A cookie app with a state-changing <c>POST</c> privilege endpoint: a signed-in user holds their account's privileges there
/// only with a valid antiforgery token, so another site cannot make their browser call it; whm tokens need none.
/// </summary>
public sealed class SignedInUserAntiforgeryTests
{
    private sealed class App : IAsyncDisposable
    {
        public int Created;

        public ApiTokensTestHost Host { get; set; } = null!;

        public HttpClient Client { get; set; } = null!;

        public async Task<HttpResponseMessage> SendAsync(
            HttpMethod method, string path, string? cookie = null, string? token = null, IReadOnlyDictionary<string, string>? headers = null, HttpContent? content = null)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
            if (cookie is not null)
            {
                request.Headers.Add("Cookie", cookie);
            }

            if (token is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", token);
            }

            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            return await Client.SendAsync(request);
        }

        public async Task<string> SignInAsync(string userName)
        {
            var response = await SendAsync(HttpMethod.Get, "/login?user=" + Uri.EscapeDataString(userName));
            response.EnsureSuccessStatusCode();
            return Assert.Single(response.Headers.GetValues("Set-Cookie")).Split(';')[0];
        }

        /// <summary>The antiforgery cookie and request token the app hands the signed-in user (as a page would embed it).</summary>
        public async Task<(string Cookie, string RequestToken)> AntiforgeryAsync(string cookie)
        {
            var response = await SendAsync(HttpMethod.Get, "/antiforgery", cookie);
            response.EnsureSuccessStatusCode();
            var antiforgeryCookie = Assert.Single(response.Headers.GetValues("Set-Cookie")).Split(';')[0];
            return (antiforgeryCookie, await response.Content.ReadAsStringAsync());
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Host.DisposeAsync();
        }
    }

    private static async Task<App> StartAsync(Action<PrivilegeAuthorizationOptions>? configure = null)
    {
        var app = new App();
        app.Host = await new ApiTokensTestHostBuilder()
            .WithDefaultScheme(CookieAuthenticationDefaults.AuthenticationScheme)
            .WithMinimumLogLevel(LogLevel.Debug)
            .ConfigureServices(s =>
            {
                s.AddAuthentication().AddCookie(o => o.LoginPath = "/sign-in-form");
                if (configure is not null)
                {
                    s.Configure(configure);
                }
            })
            .ConfigureApp(web =>
            {
                web.MapGet("/login", async (HttpContext context, string user) =>
                {
                    var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], CookieAuthenticationDefaults.AuthenticationScheme);
                    await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
                    return "signed in";
                });
                web.MapGet("/antiforgery", (HttpContext context, IAntiforgery antiforgery) => antiforgery.GetAndStoreTokens(context).RequestToken);
                web.MapGet("/json-api/listaccts", () => "accounts").RequirePrivilege("list-accts");
                web.MapPost("/json-api/createacct", () =>
                {
                    Interlocked.Increment(ref app.Created);
                    return "created";
                }).RequirePrivilege("create-acct");
            })
            .StartAsync();
        app.Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.Host.BaseAddress };
        return app;
    }

    [Fact]
    public async Task CookieUserPost_WithoutAntiforgeryToken_Is403_AndNothingIsDone_AndTheLogSaysWhy()
    {
        await using var app = await StartAsync();
        app.Host.Accounts.Add("root", "all");
        var cookie = await app.SignInAsync("root");

        var response = await app.SendAsync(HttpMethod.Post, "/json-api/createacct", cookie);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"missing_privileges\":[\"create-acct\"]", body, StringComparison.Ordinal);
        Assert.Contains("antiforgery", body, StringComparison.Ordinal);
        Assert.Equal(0, app.Created);
        var logged = Assert.Single(app.Host.Log.Lines, l => l.EventId == 3004);
        Assert.Equal(LogLevel.Debug, logged.Level);
        Assert.Contains("root", logged.Message, StringComparison.Ordinal);

        // A forged token (or another user's) is no better.
        var forged = await app.SendAsync(
            HttpMethod.Post, "/json-api/createacct", cookie, headers: new Dictionary<string, string> { ["RequestVerificationToken"] = "forged" });
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(0, app.Created);
    }

    [Fact]
    public async Task CookieUserPost_WithAValidAntiforgeryToken_InTheHeaderOrTheForm_Is200()
    {
        await using var app = await StartAsync();
        app.Host.Accounts.Add("root", "all");
        var cookie = await app.SignInAsync("root");
        var (antiforgeryCookie, requestToken) = await app.AntiforgeryAsync(cookie);

        var header = await app.SendAsync(
            HttpMethod.Post, "/json-api/createacct", $"{cookie}; {antiforgeryCookie}", headers: new Dictionary<string, string> { ["RequestVerificationToken"] = requestToken });
        Assert.Equal(HttpStatusCode.OK, header.StatusCode);

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = requestToken });
        var field = await app.SendAsync(HttpMethod.Post, "/json-api/createacct", $"{cookie}; {antiforgeryCookie}", content: form);
        Assert.Equal(HttpStatusCode.OK, field.StatusCode);
        Assert.Equal(2, app.Created);
    }

    [Fact]
    public async Task CookieUserGet_NeedsNoAntiforgeryToken()
    {
        await using var app = await StartAsync();
        app.Host.Accounts.Add("root", "all");

        var response = await app.SendAsync(HttpMethod.Get, "/json-api/listaccts", await app.SignInAsync("root"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OptionOff_CookieUserPost_WithoutAntiforgeryToken_Is200()
    {
        await using var app = await StartAsync(o => o.RequireAntiforgeryForSignedInUsers = false);
        app.Host.Accounts.Add("root", "all");

        var response = await app.SendAsync(HttpMethod.Post, "/json-api/createacct", await app.SignInAsync("root"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, app.Created);
    }

    [Fact]
    public async Task WhmTokenPost_NeedsNoAntiforgeryToken_EvenNextToTheUsersCookie()
    {
        await using var app = await StartAsync();
        var root = app.Host.Accounts.Add("root", "all");
        var token = $"whm root:{(await app.Host.CreateTokenAsync(root, "creator", ["create-acct"])).PlaintextToken}";

        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "/json-api/createacct", token: token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "/json-api/createacct", await app.SignInAsync("root"), token)).StatusCode);
        Assert.Equal(2, app.Created);
    }
}
