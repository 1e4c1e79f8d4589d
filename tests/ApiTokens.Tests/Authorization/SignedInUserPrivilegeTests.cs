using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ApiTokens.Authorization;
using ApiTokens.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens.Tests.Authorization;

/// <summary>
/// One <c>RequirePrivilege</c> endpoint in an app whose default scheme is the host's own (a cookie, or another scheme), with no
/// policy scheme: a whm token authenticates there, and a signed-in user holds their account's current privileges.
/// </summary>
public sealed class SignedInUserPrivilegeTests
{
    private const string SessionScheme = "session";

    /// <summary>A non-cookie host scheme: <c>X-Session: user</c> signs the request in as that user; its challenge is a bare 401.</summary>
    private sealed class SessionHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(Request.Headers["X-Session"] is [{ Length: > 0 } user]
                ? AuthenticateResult.Success(new AuthenticationTicket(
                    new ClaimsPrincipal(new ClaimsIdentity([new Claim("uid", user)], SessionScheme)), SessionScheme))
                : AuthenticateResult.NoResult());
    }

    /// <summary>Wraps the in-memory accounts: counts lookups by user name, and throws for the user "broken".</summary>
    private sealed class CountingAccounts(InMemoryAccountProvider inner) : IApiTokenAccountProvider
    {
        public static int Lookups;

        public ValueTask<ApiTokenAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Lookups);
            return userName == "broken" ? throw new InvalidOperationException("the user database is down") : inner.FindByUserNameAsync(userName, cancellationToken);
        }

        public ValueTask<ApiTokenAccount?> FindByIdAsync(string accountId, CancellationToken cancellationToken) => inner.FindByIdAsync(accountId, cancellationToken);
    }

    private sealed class App : IAsyncDisposable
    {
        public required ApiTokensTestHost Host { get; init; }

        public required HttpClient Client { get; init; }

        public async Task<HttpResponseMessage> GetAsync(string path, string? token = null, string? cookie = null, string? session = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            if (token is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", token);
            }

            if (cookie is not null)
            {
                request.Headers.Add("Cookie", cookie);
            }

            if (session is not null)
            {
                request.Headers.Add("X-Session", session);
            }

            return await Client.SendAsync(request);
        }

        public async Task<string> SignInAsync(string userName)
        {
            var response = await GetAsync("/login?user=" + Uri.EscapeDataString(userName));
            response.EnsureSuccessStatusCode();
            return Assert.Single(response.Headers.GetValues("Set-Cookie")).Split(';')[0];
        }

        public async Task<string> TokenAsync(ApiTokenAccount owner, string name, params string[] acls) =>
            $"whm {owner.UserName}:{(await Host.CreateTokenAsync(owner, name, acls)).PlaintextToken}";

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Host.DisposeAsync();
        }
    }

    private static async Task<App> StartAsync(bool cookieDefault, Action<IServiceCollection>? services = null)
    {
        var host = await new ApiTokensTestHostBuilder()
            .WithDefaultScheme(cookieDefault ? CookieAuthenticationDefaults.AuthenticationScheme : SessionScheme)
            .ConfigureServices(s =>
            {
                var authentication = s.AddAuthentication();
                if (cookieDefault)
                {
                    authentication.AddCookie(o => o.LoginPath = "/sign-in-form");
                }
                else
                {
                    authentication.AddScheme<AuthenticationSchemeOptions, SessionHandler>(SessionScheme, null);
                }

                s.AddScoped<IApiTokenAccountProvider>(sp => new CountingAccounts(sp.GetRequiredService<InMemoryAccountProvider>()));
                services?.Invoke(s);
            })
            .ConfigureApp(app =>
            {
                app.MapGet("/login", async (HttpContext context, string user) =>
                {
                    var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], CookieAuthenticationDefaults.AuthenticationScheme);
                    await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
                    return "signed in";
                });
                app.MapGet("/json-api/listaccts", (ClaimsPrincipal user) => $"accounts for {user.Identity?.AuthenticationType}").RequirePrivilege("list-accts");
                app.MapGet("/json-api/two", () => "two").RequirePrivilege("list-accts", "create-acct");
            })
            .StartAsync();
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.BaseAddress };
        return new App { Host = host, Client = client };
    }

    private static async Task AssertMissingAsync(HttpResponseMessage response, string privilege)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"missing_privileges\":[\"{privilege}\"]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CookieApp_TokensAndCookieUsers_OnOnePrivilegeEndpoint()
    {
        await using var app = await StartAsync(cookieDefault: true);
        var root = app.Host.Accounts.Add("root", "all");
        var reseller = app.Host.Accounts.Add("reseller", "list-accts");
        app.Host.Accounts.Add("plain", "create-acct");

        var withIt = await app.GetAsync("/json-api/listaccts", token: await app.TokenAsync(root, "lister", "list-accts"));
        Assert.Equal(HttpStatusCode.OK, withIt.StatusCode);
        Assert.Equal("accounts for whm", await withIt.Content.ReadAsStringAsync());
        await AssertMissingAsync(await app.GetAsync("/json-api/listaccts", token: await app.TokenAsync(root, "creator", "create-acct")), "list-accts");

        var badToken = await app.GetAsync("/json-api/listaccts", token: "whm root:nope");
        Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);
        Assert.Equal("whm", badToken.Headers.WwwAuthenticate.ToString());

        var cookieUser = await app.GetAsync("/json-api/listaccts", cookie: await app.SignInAsync("reseller"));
        Assert.Equal(HttpStatusCode.OK, cookieUser.StatusCode);
        Assert.Equal("accounts for Cookies", await cookieUser.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/json-api/listaccts", cookie: await app.SignInAsync("root"))).StatusCode);
        await AssertMissingAsync(await app.GetAsync("/json-api/listaccts", cookie: await app.SignInAsync("plain")), "list-accts");

        var anonymous = await app.GetAsync("/json-api/listaccts");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/sign-in-form", anonymous.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task CookieApp_AnInvalidTokenNextToAValidCookie_IsTheWhmChallenge_AndTheCookieDoesNotCount()
    {
        await using var app = await StartAsync(cookieDefault: true);
        app.Host.Accounts.Add("root", "all");
        var cookie = await app.SignInAsync("root");

        var response = await app.GetAsync("/json-api/listaccts", token: "whm root:nope", cookie: cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("whm", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task CookieApp_SuspendedOrUnknownAccount_HoldsNothing_AndOneLookupServesEveryRequirement()
    {
        await using var app = await StartAsync(cookieDefault: true);
        var frozen = app.Host.Accounts.Add("frozen", "list-accts");
        app.Host.Accounts.Update(frozen.Id, isSuspended: true);
        app.Host.Accounts.Add("both", "list-accts", "create-acct");

        await AssertMissingAsync(await app.GetAsync("/json-api/listaccts", cookie: await app.SignInAsync("frozen")), "list-accts");
        await AssertMissingAsync(await app.GetAsync("/json-api/listaccts", cookie: await app.SignInAsync("nobody")), "list-accts");

        var cookie = await app.SignInAsync("both");
        var before = Volatile.Read(ref CountingAccounts.Lookups);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/json-api/two", cookie: cookie)).StatusCode);
        Assert.Equal(before + 1, Volatile.Read(ref CountingAccounts.Lookups));
    }

    [Fact]
    public async Task CookieApp_AccountProviderFault_IsARefusal_NeverA500_AndIsLoggedOnce()
    {
        await using var app = await StartAsync(cookieDefault: true);

        var response = await app.GetAsync("/json-api/two", cookie: await app.SignInAsync("broken"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var logged = Assert.Single(app.Host.Log.Lines, l => l.EventId == 3001);
        Assert.Contains("broken", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Host.Log.Lines, l => l.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task OtherDefaultScheme_AnonymousIs401_SignedInUserHoldsTheirAccount_ByAConfiguredClaim()
    {
        await using var app = await StartAsync(cookieDefault: false, s => s.Configure<PrivilegeAuthorizationOptions>(o => o.UserNameClaimType = "uid"));
        var root = app.Host.Accounts.Add("root", "all");
        app.Host.Accounts.Add("reseller", "list-accts");
        app.Host.Accounts.Add("plain", "create-acct");

        var anonymous = await app.GetAsync("/json-api/listaccts");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Empty(anonymous.Headers.WwwAuthenticate);

        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/json-api/listaccts", session: "reseller")).StatusCode);
        await AssertMissingAsync(await app.GetAsync("/json-api/listaccts", session: "plain"), "list-accts");
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/json-api/listaccts", token: await app.TokenAsync(root, "lister", "list-accts"))).StatusCode);
        await AssertMissingAsync(await app.GetAsync("/json-api/listaccts", token: await app.TokenAsync(root, "creator", "create-acct")), "list-accts");
    }

    [Fact]
    public async Task UserNameSelector_MapsThePrincipalToItsAccount()
    {
        await using var app = await StartAsync(cookieDefault: false, s => s.Configure<PrivilegeAuthorizationOptions>(
            o => o.UserNameSelector = user => user.FindFirst("uid")?.Value is { } uid ? "acct-" + uid : null));
        app.Host.Accounts.Add("acct-7", "list-accts");

        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/json-api/listaccts", session: "7")).StatusCode);
        await AssertMissingAsync(await app.GetAsync("/json-api/listaccts", session: "8"), "list-accts");
    }
}
