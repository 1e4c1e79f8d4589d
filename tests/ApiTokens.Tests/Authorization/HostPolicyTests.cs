using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ApiTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens.Tests.Authorization;

/// <summary>
/// A host app's own authorization settings (a default policy bound to its cookie scheme, a fallback policy) must not
/// change what a privilege-protected endpoint answers to a whm token.
/// </summary>
public sealed class HostPolicyTests
{
    private sealed class SessionHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }

    [Fact]
    public async Task DefaultPolicyOnTheHostsSessionScheme_AndAFallbackPolicy_DoNotAffectPrivilegeEndpoints()
    {
        await using var server = await WhmTestServer.StartAsync(services: s =>
        {
            s.AddAuthentication().AddScheme<AuthenticationSchemeOptions, SessionHandler>("session", null);
            s.Configure<AuthorizationOptions>(o =>
            {
                o.DefaultPolicy = new AuthorizationPolicyBuilder("session").RequireAuthenticatedUser().Build();
                o.FallbackPolicy = new AuthorizationPolicyBuilder("session").RequireAuthenticatedUser().Build();
            });
        });
        var root = server.Accounts.Add("root", "all");
        var lister = await server.CreateTokenAsync(root, "lister", ["list-accts"]);

        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/json-api/listaccts", "root", lister.PlaintextToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/json-api/two", "root", (await server.CreateTokenAsync(root, "both", ["list-accts", "create-acct"])).PlaintextToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.GetAsync("/json-api/killacct", "root", lister.PlaintextToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.GetAsync("/json-api/listaccts", null)).StatusCode);
    }
}
