using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ApiTokens.Authentication;
using ApiTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens.Tests.Whm;

/// <summary>The state-changing GET calls accept only the whm scheme, so a browser session cannot be forged into them.</summary>
public sealed class WhmTokenApiSchemeTests
{
    private sealed class SessionHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public static string AccountId { get; set; } = string.Empty;

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            // A host "cookie" session that (unwisely) carries privilege claims.
            var identity = new ClaimsIdentity(
                [new(ClaimTypes.Name, "root"), new(ClaimTypes.NameIdentifier, AccountId), new(WhmClaimTypes.Privilege, "all")], "session");
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), "session")));
        }
    }

    [Fact]
    public async Task HostSessionWithPrivilegeClaims_CannotCallTheTokenApi_AWhmTokenCan()
    {
        await using var server = await WhmTestServer.StartAsync(
            map: app => app.MapWhmTokenApi(),
            services: s =>
            {
                s.AddAuthentication().AddScheme<AuthenticationSchemeOptions, SessionHandler>("session", null);
                s.Configure<AuthenticationOptions>(o => o.DefaultScheme = "session");
            });
        var root = server.Accounts.Add("root", "all");
        SessionHandler.AccountId = root.Id;
        var token = await server.CreateTokenAsync(root, "prod");

        var forged = await server.GetAsync("/json-api/api_token_revoke?token_name=prod", null);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode); // WHM's "Access denied": the session is no credential here
        Assert.Contains("Access denied", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(await server.Manager.FindByNameAsync(root.Id, "prod"));

        var real = await server.GetAsync("/json-api/api_token_list", "root", token.PlaintextToken);
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        Assert.Contains("\"prod\"", await real.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostDefaultPolicyBoundToACookieWithPrivilegeClaims_DoesNotOpenTheTokenApi()
    {
        // The host's default policy names its cookie scheme, whose principal carries privilege claims. The token calls must not
        // combine that policy (and its scheme) into theirs: the cookie alone reaches none of them.
        await using var server = await WhmTestServer.StartAsync(
            map: app => app.MapWhmTokenApi(),
            services: s =>
            {
                s.AddAuthentication().AddScheme<AuthenticationSchemeOptions, SessionHandler>("session", null);
                s.AddAuthorization(o => o.DefaultPolicy = new AuthorizationPolicyBuilder("session").RequireAuthenticatedUser().Build());
            });
        var root = server.Accounts.Add("root", "all");
        SessionHandler.AccountId = root.Id;
        await server.CreateTokenAsync(root, "prod");

        foreach (var call in new[] { "api_token_list", "api_token_get_details?token=X", "api_token_create?token_name=evil", "api_token_update?token_name=prod&new_name=x", "api_token_revoke?token_name=prod" })
        {
            var forged = await server.GetAsync("/json-api/" + call, null);
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
            Assert.Contains("Access denied", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.NotNull(await server.Manager.FindByNameAsync(root.Id, "prod"));
        Assert.Null(await server.Manager.FindByNameAsync(root.Id, "evil"));
    }

    [Fact]
    public async Task GetDetails_WithWrongSecretsForARealSelector_RunsArgon2OnlyUpToTheFailureLimit()
    {
        await using var server = await WhmTestServer.StartAsync(map: app => app.MapWhmTokenApi());
        var root = server.Accounts.Add("root", "all");
        var caller = await server.CreateTokenAsync(root, "caller");
        var target = await server.CreateTokenAsync(root, "target");
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/json-api/api_token_list", "root", caller.PlaintextToken)).StatusCode);
        server.Hasher.Reset();

        for (var i = 0; i < 40; i++)
        {
            var guess = target.PlaintextToken[..8] + i.ToString("D24", System.Globalization.CultureInfo.InvariantCulture);
            var response = await server.GetAsync("/json-api/api_token_get_details?token=" + guess, "root", caller.PlaintextToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("\"target\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(10, server.Hasher.VerifyCalls);
    }
}
