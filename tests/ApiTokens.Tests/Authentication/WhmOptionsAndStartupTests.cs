using System.Net;
using ApiTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApiTokens.Tests.Authentication;

public sealed class WhmOptionsAndStartupTests
{
    [Fact]
    public async Task CacheDisabled_EveryRequestRunsArgon2()
    {
        await using var server = await WhmTestServer.StartAsync(o => o.Cache.Enabled = false);
        var root = server.Accounts.Add("root", "all");
        var token = await server.CreateTokenAsync(root, "t");
        server.Hasher.Reset();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken)).StatusCode);
        }

        Assert.Equal(3, server.Hasher.VerifyCalls);
    }

    [Fact]
    public async Task AddWhmTokensWithoutAddApiTokens_StopsStartUp_AndSaysWhatToAdd()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthentication("whm").AddWhmTokens();
        await using var app = builder.Build();
        app.UseAuthentication();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Contains("services.AddApiTokens()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndpointRequiringAnUnknownPrivilege_StopsStartUp_WithAClearMessage()
    {
        var ex = await Assert.ThrowsAnyAsync<InvalidOperationException>(() =>
            WhmTestServer.StartAsync(map: app => app.MapGet("/typo", () => "x").RequirePrivilege("list-acct")));
        Assert.Contains("'list-acct'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AdditionalPrivileges", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHostDefaultPolicyProviderRegisteredAfterAddWhmTokens_StillAnswersPrivilegePolicies()
    {
        // It used to stop start-up ("register your provider before AddWhmTokens"); privilege policies are now also in
        // AuthorizationOptions, so a provider that falls back to the default one answers them in either order.
        await using var server = await WhmTestServer.StartAsync(
            services: s => s.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>());
        var root = server.Accounts.Add("root", "all");
        var token = await server.CreateTokenAsync(root, "t", ["list-accts"]);

        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.GetAsync("/json-api/killacct", "root", token.PlaintextToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.GetAsync("/json-api/listaccts", null)).StatusCode);
    }

    [Fact]
    public async Task EndpointRequiringARegisteredExtraPrivilege_Works()
    {
        await using var server = await WhmTestServer.StartAsync(
            o => o.AdditionalPrivileges.Add(new("billing-read", "Billing", "Read invoices.")),
            map: app => app.MapGet("/billing", () => "invoices").RequirePrivilege("billing-read"));
        var root = server.Accounts.Add("root", "all");
        var token = await server.CreateTokenAsync(root, "t", ["billing-read"]);
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/billing", "root", token.PlaintextToken)).StatusCode);
    }

    [Fact]
    public async Task InvalidCacheOptions_StopStartUp_NamingTheSetting()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => WhmTestServer.StartAsync(o => o.Cache.SizeLimit = 0));
        Assert.Contains("ApiTokens:Cache:SizeLimit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidTokenFormat_StopsStartUp_NamingTheSetting()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => WhmTestServer.StartAsync(o => o.Format.Length = 20));
        Assert.Contains("ApiTokens:Format:Length", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomSchemeEvents_SeeTheFailureReason_AndCanAddClaims()
    {
        var reasons = new List<ApiTokens.ApiTokenFailureReason>();
        await using var server = await WhmTestServer.StartAsync(configureScheme: o =>
        {
            o.Events.OnAuthenticationFailed = ctx =>
            {
                lock (reasons)
                {
                    reasons.Add(ctx.Reason);
                }

                return Task.CompletedTask;
            };
            o.Events.OnTokenValidated = ctx =>
            {
                ((System.Security.Claims.ClaimsIdentity)ctx.Principal!.Identity!).AddClaim(new("tenant", "t1"));
                return Task.CompletedTask;
            };
        });
        var root = server.Accounts.Add("root", "all");
        var token = await server.CreateTokenAsync(root, "t");

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.GetAsync("/json-api/listaccts", "nobody", token.PlaintextToken)).StatusCode);
        Assert.Equal([ApiTokens.ApiTokenFailureReason.UnknownUser], reasons);
        var body = await (await server.GetAsync("/whoami", "root", token.PlaintextToken)).Content.ReadAsStringAsync();
        Assert.Contains("\"tenant\",\"t1\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageReceived_CanSupplyTheCredentialFromElsewhere()
    {
        await using var server = await WhmTestServer.StartAsync(configureScheme: o => o.Events.OnMessageReceived = ctx =>
        {
            if (ctx.Request.Headers.TryGetValue("X-Whm", out var value))
            {
                ctx.Credential = value.ToString();
            }

            return Task.CompletedTask;
        });
        var root = server.Accounts.Add("root", "all");
        var token = await server.CreateTokenAsync(root, "t");
        var request = new HttpRequestMessage(HttpMethod.Get, "/json-api/listaccts");
        request.Headers.Add("X-Whm", $"root:{token.PlaintextToken}");
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(request)).StatusCode);
    }
}
