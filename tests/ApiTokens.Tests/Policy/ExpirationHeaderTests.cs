using System.Net;
using System.Security.Claims;
using ApiTokens.Authentication;
using ApiTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Policy;

/// <summary>
/// <c>ApiToken-Expiration</c>: every answer to a request authenticated with an expiring token says when it expires, as an HTTP
/// date (GitHub's <c>GitHub-Authentication-Token-Expiration</c>); nothing for a token that never expires, a refused credential or a
/// signed-in user.
/// </summary>
public sealed class ExpirationHeaderTests
{
    private const string Header = "ApiToken-Expiration";

    // WhmTestServer.Start (2026-01-15 10:30:00 UTC) + 30 days.
    private static readonly DateTimeOffset InThirtyDays = WhmTestServer.Start.AddDays(30);
    private const string InThirtyDaysHttpDate = "Sat, 14 Feb 2026 10:30:00 GMT";

    private static string? HeaderOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(Header, out var values) ? Assert.Single(values) : null;

    [Fact]
    public async Task ExpiringToken_OnAHostEndpoint_CarriesItsExpiry_AsAnImfFixdate()
    {
        await using var server = await WhmTestServer.StartAsync();
        var root = server.Accounts.Add("root", "all");
        var token = await server.CreateTokenAsync(root, "expiring", expiresAt: InThirtyDays);

        using var response = await server.GetAsync("/whoami", "root", token.PlaintextToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(InThirtyDaysHttpDate, HeaderOf(response));
        Assert.Equal(InThirtyDays, DateTimeOffset.Parse(HeaderOf(response)!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ExpiringToken_OnWhmRoutes_CarriesIt_OnSuccess_AndOnTheRefusalForAMissingPrivilege()
    {
        await using var server = await WhmTestServer.StartAsync(map: app => app.MapWhmTokenApi());
        var root = server.Accounts.Add("root", "all");
        var lister = await server.CreateTokenAsync(root, "lister", ["list-accts", "manage-api-tokens"], expiresAt: InThirtyDays);

        using var listaccts = await server.GetAsync("/json-api/listaccts", "root", lister.PlaintextToken);
        using var tokenList = await server.GetAsync("/json-api/api_token_list", "root", lister.PlaintextToken);
        using var refused = await server.GetAsync("/json-api/killacct", "root", lister.PlaintextToken);

        Assert.Equal(HttpStatusCode.OK, listaccts.StatusCode);
        Assert.Equal(InThirtyDaysHttpDate, HeaderOf(listaccts));
        Assert.Equal(HttpStatusCode.OK, tokenList.StatusCode);
        Assert.Contains("\"result\":1", await tokenList.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(InThirtyDaysHttpDate, HeaderOf(tokenList));

        // The script is refused for a privilege it lacks, and still learns that its token expires.
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(InThirtyDaysHttpDate, HeaderOf(refused));
    }

    [Fact]
    public async Task ExpiringToken_KeepsTheHeader_WhenAnErrorHandlerClearsTheResponse()
    {
        await using var server = await WhmTestServer.StartAsync(map: app => app.MapGet("/boom", (HttpContext context) =>
        {
            context.Response.Headers["X-Before"] = "set";
            context.Response.Clear();
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }).RequireAuthorization());
        var root = server.Accounts.Add("root", "all");
        var token = await server.CreateTokenAsync(root, "expiring", expiresAt: InThirtyDays);

        using var response = await server.GetAsync("/boom", "root", token.PlaintextToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Before"));
        Assert.Equal(InThirtyDaysHttpDate, HeaderOf(response));
    }

    [Fact]
    public async Task NeverExpiringToken_GetsNoHeader()
    {
        await using var server = await WhmTestServer.StartAsync();
        var root = server.Accounts.Add("root", "all");
        var token = await server.CreateTokenAsync(root, "forever");

        using var host = await server.GetAsync("/whoami", "root", token.PlaintextToken);
        using var whm = await server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken);

        Assert.Equal(HttpStatusCode.OK, host.StatusCode);
        Assert.Null(HeaderOf(host));
        Assert.Equal(HttpStatusCode.OK, whm.StatusCode);
        Assert.Null(HeaderOf(whm));
    }

    [Fact]
    public async Task RefusedCredentials_GetNoHeader_NotEvenForARealButExpiredOrWrongAddressToken()
    {
        await using var server = await WhmTestServer.StartAsync();
        var root = server.Accounts.Add("root", "all");
        var expiring = await server.CreateTokenAsync(root, "expiring", expiresAt: WhmTestServer.Start.AddHours(1));
        var elsewhere = await server.CreateTokenAsync(root, "elsewhere", expiresAt: InThirtyDays, whitelist: ["192.0.2.10"]);
        var wrongSecret = expiring.PlaintextToken[..^1] + (expiring.PlaintextToken[^1] == 'A' ? 'B' : 'A');

        using var wrong = await server.GetAsync("/whoami", "root", wrongSecret);
        using var notFromHere = await server.GetAsync("/whoami", "root", elsewhere.PlaintextToken);
        using var anonymous = await server.GetAsync("/whoami", authorization: null);
        server.Time.Advance(TimeSpan.FromHours(2));
        using var expired = await server.GetAsync("/whoami", "root", expiring.PlaintextToken);

        foreach (var response in new[] { wrong, notFromHere, anonymous, expired })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Null(HeaderOf(response));
        }
    }

    [Fact]
    public async Task SignedInCookieUser_GetsNoHeader_EvenWhenTheirAccountHasAnExpiringToken()
    {
        await using var host = await new ApiTokensTestHostBuilder()
            .WithDefaultScheme(CookieAuthenticationDefaults.AuthenticationScheme)
            .ConfigureServices(s => s.AddAuthentication().AddCookie())
            .ConfigureApp(app =>
            {
                app.MapGet("/login", async (HttpContext context, string user) =>
                {
                    var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], CookieAuthenticationDefaults.AuthenticationScheme);
                    await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
                    return "signed in";
                });
                app.MapGet("/json-api/listaccts", (ClaimsPrincipal user) => $"accounts for {user.Identity?.AuthenticationType}").RequirePrivilege("list-accts");
            })
            .StartAsync();
        var root = host.Accounts.Add("root", "all");
        var token = await host.CreateTokenAsync(root, "expiring", expiresAt: InThirtyDays);
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = host.BaseAddress };
        using var login = await client.GetAsync(new Uri("/login?user=root", UriKind.Relative));
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie")).Split(';')[0];

        using var byCookie = new HttpRequestMessage(HttpMethod.Get, "/json-api/listaccts");
        byCookie.Headers.Add("Cookie", cookie);
        using var cookieAnswer = await client.SendAsync(byCookie);
        using var tokenAnswer = await host.GetAsync("/json-api/listaccts", "root", token.PlaintextToken);

        Assert.Equal("accounts for Cookies", await cookieAnswer.Content.ReadAsStringAsync());
        Assert.Null(HeaderOf(cookieAnswer));
        Assert.Equal("accounts for whm", await tokenAnswer.Content.ReadAsStringAsync());
        Assert.Equal(InThirtyDaysHttpDate, HeaderOf(tokenAnswer));
    }

    [Fact]
    public void NeverExpiringToken_CostsNoCallbackAndNoAllocation()
    {
        var response = new DefaultHttpContext().Response;
        var owner = new ApiTokenAccount("acct", "root", isSuspended: false, ["all"]);
        var forever = new VerifiedToken(owner, Token(expiresAt: null), [], 0, 0, 0);
        var expiring = new VerifiedToken(owner, Token(InThirtyDays), [], 0, 0, 0);
        WhmTokenHandler.AddExpirationHeader(response, forever); // JIT outside the measurement

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            WhmTokenHandler.AddExpirationHeader(response, forever);
        }

        var forNever = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        WhmTokenHandler.AddExpirationHeader(response, expiring);
        var forExpiring = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, forNever);
        Assert.True(forExpiring > 0, "the measurement sees the expiring token's callback");
    }

    private static ApiToken Token(DateTimeOffset? expiresAt) => new()
    {
        Id = Guid.NewGuid(),
        AccountId = "root-id",
        Name = "t",
        Selector = "selector",
        SecretHash = "hash",
        CreatedAt = WhmTestServer.Start,
        ExpiresAt = expiresAt,
        ConcurrencyStamp = "stamp",
    };
}
