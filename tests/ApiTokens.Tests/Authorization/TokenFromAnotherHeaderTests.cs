using System.Net;
using System.Security.Claims;
using ApiTokens.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Authorization;

/// <summary>
/// A cookie app whose whm scheme also reads <c>X-Api-Token: user:token</c> (through <c>OnMessageReceived</c>): such a request
/// is a token request exactly like one with <c>Authorization: whm …</c>, so only the token counts and a bad one is the whm 401.
/// </summary>
public sealed class TokenFromAnotherHeaderTests
{
    private static async Task<(ApiTokensTestHost Host, HttpClient Client)> StartAsync()
    {
        var host = await new ApiTokensTestHostBuilder()
            .WithDefaultScheme(CookieAuthenticationDefaults.AuthenticationScheme)
            .ConfigureScheme(o => o.Events.OnMessageReceived = context =>
            {
                if (context.Request.Headers["X-Api-Token"] is [{ } credential])
                {
                    context.Credential = credential;
                }

                return Task.CompletedTask;
            })
            .ConfigureServices(s => s.AddAuthentication().AddCookie(o => o.LoginPath = "/sign-in-form"))
            .ConfigureApp(app =>
            {
                app.MapGet("/login", async (HttpContext context, string user) =>
                {
                    var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], CookieAuthenticationDefaults.AuthenticationScheme);
                    await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
                    return "signed in";
                });
                app.MapGet("/json-api/createacct", () => "created").RequirePrivilege("create-acct");
            })
            .StartAsync();
        return (host, new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.BaseAddress });
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? apiToken = null, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (apiToken is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Api-Token", apiToken);
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task ALimitedTokenInAnotherHeader_NextToTheUsersCookie_IsJudgedByTheToken()
    {
        var (host, client) = await StartAsync();
        await using var _ = host;
        using var __ = client;
        var root = host.Accounts.Add("root", "all");
        var lister = $"root:{(await host.CreateTokenAsync(root, "lister", ["list-accts"])).PlaintextToken}";
        var login = await GetAsync(client, "/login?user=root");
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie")).Split(';')[0];

        var response = await GetAsync(client, "/json-api/createacct", lister, cookie);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("\"missing_privileges\":[\"create-acct\"]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/json-api/createacct", cookie: cookie)).StatusCode);
    }

    [Fact]
    public async Task ABadTokenInAnotherHeader_IsTheWhmChallenge_WithOrWithoutACookie()
    {
        var (host, client) = await StartAsync();
        await using var _ = host;
        using var __ = client;
        host.Accounts.Add("root", "all");
        var login = await GetAsync(client, "/login?user=root");
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie")).Split(';')[0];

        foreach (var withCookie in new[] { null, cookie })
        {
            var response = await GetAsync(client, "/json-api/createacct", "root:nope", withCookie);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("whm", response.Headers.WwwAuthenticate.ToString());
        }
    }
}
