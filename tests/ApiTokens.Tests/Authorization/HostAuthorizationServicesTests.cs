using System.Net;
using ApiTokens.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApiTokens.Tests.Authorization;

/// <summary>
/// A host's own <see cref="IAuthorizationPolicyProvider"/> and <see cref="IAuthorizationMiddlewareResultHandler"/> keep working
/// next to the privilege policies, whether the host registers them before or after <c>AddWhmTokens</c>.
/// </summary>
public sealed class HostAuthorizationServicesTests
{
    /// <summary>A host provider in the documented style: answers <c>perm:…</c> names, passes the rest to the default one.</summary>
    private sealed class PermissionPolicyProvider(IOptions<AuthorizationOptions> options) : IAuthorizationPolicyProvider
    {
        private readonly DefaultAuthorizationPolicyProvider _fallback = new(options);

        public bool AllowsCachingPolicies => false;

        public Task<AuthorizationPolicy?> GetPolicyAsync(string policyName) => policyName.StartsWith("perm:", StringComparison.Ordinal)
            ? Task.FromResult<AuthorizationPolicy?>(new AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.Resource is HttpContext http && http.Request.Headers["X-Permit"] == policyName[5..])
                .Build())
            : _fallback.GetPolicyAsync(policyName);

        public Task<AuthorizationPolicy> GetDefaultPolicyAsync() => _fallback.GetDefaultPolicyAsync();

        public Task<AuthorizationPolicy?> GetFallbackPolicyAsync() => _fallback.GetFallbackPolicyAsync();
    }

    /// <summary>A host result handler that marks every answer, and writes its own body for a refusal of its own policies.</summary>
    private sealed class MarkingResultHandler : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            context.Response.Headers["X-Host-Handler"] = "ran";
            if (authorizeResult.Forbidden && context.Request.Path.StartsWithSegments("/perm"))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("the host says no");
                return;
            }

            await _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }

    private static async Task<ApiTokensTestHost> StartAsync(bool registerBefore, Action<IServiceCollection> register)
    {
        var builder = new ApiTokensTestHostBuilder()
            .ConfigureApp(app =>
            {
                app.MapGet("/perm", () => "permitted").RequireAuthorization("perm:anything");
                app.MapGet("/json-api/listaccts", () => "accounts").RequirePrivilege("list-accts");
            });
        return await (registerBefore
            ? builder.ConfigureWebApplicationBuilder(b => register(b.Services))
            : builder.ConfigureServices(register)).StartAsync();
    }

    private static async Task<HttpResponseMessage> SendAsync(ApiTokensTestHost host, string path, string authorization, string? permit = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (permit is not null)
        {
            request.Headers.Add("X-Permit", permit);
        }

        return await host.Client.SendAsync(request);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task HostPolicyProvider_RegisteredBeforeOrAfter_AnswersItsPolicies_AndPrivilegePoliciesStillWork(bool registerBefore)
    {
        await using var host = await StartAsync(registerBefore, s => s.AddSingleton<IAuthorizationPolicyProvider, PermissionPolicyProvider>());
        var root = host.Accounts.Add("root", "all");
        var lister = $"whm root:{(await host.CreateTokenAsync(root, "lister", ["list-accts"])).PlaintextToken}";
        var creator = $"whm root:{(await host.CreateTokenAsync(root, "creator", ["create-acct"])).PlaintextToken}";

        var permitted = await SendAsync(host, "/perm", lister, permit: "anything");
        Assert.Equal(HttpStatusCode.OK, permitted.StatusCode);
        Assert.Equal("permitted", await permitted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(host, "/perm", lister, permit: "something-else")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, "/json-api/listaccts", lister)).StatusCode);
        var refused = await SendAsync(host, "/json-api/listaccts", creator);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("\"list-accts\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostResultHandler_StillHandlesItsOwnEndpoints_AndPrivilegeRefusalsKeepTheirBody()
    {
        await using var host = await StartAsync(registerBefore: true, s =>
        {
            s.AddSingleton<IAuthorizationPolicyProvider, PermissionPolicyProvider>();
            s.AddSingleton<IAuthorizationMiddlewareResultHandler, MarkingResultHandler>();
        });
        var root = host.Accounts.Add("root", "all");
        var creator = $"whm root:{(await host.CreateTokenAsync(root, "creator", ["create-acct"])).PlaintextToken}";

        var own = await SendAsync(host, "/perm", creator, permit: "no");
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Equal("the host says no", await own.Content.ReadAsStringAsync());
        Assert.Equal("ran", Assert.Single(own.Headers.GetValues("X-Host-Handler")));

        var privilege = await SendAsync(host, "/json-api/listaccts", creator);
        Assert.Equal(HttpStatusCode.Forbidden, privilege.StatusCode);
        Assert.Equal("application/problem+json", privilege.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"list-accts\"", await privilege.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("ran", Assert.Single(privilege.Headers.GetValues("X-Host-Handler")));

        var anonymous = await host.GetAsync("/json-api/listaccts", authorization: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("ran", Assert.Single(anonymous.Headers.GetValues("X-Host-Handler")));
    }

    [Fact]
    public async Task HostResultHandler_RegisteredAfter_RunsAndIsNamedInAStartUpWarning()
    {
        await using var host = await StartAsync(registerBefore: false, s => s.AddSingleton<IAuthorizationMiddlewareResultHandler, MarkingResultHandler>());

        var anonymous = await host.GetAsync("/json-api/listaccts", authorization: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("ran", Assert.Single(anonymous.Headers.GetValues("X-Host-Handler")));
        var warning = Assert.Single(host.Log.Lines, l => l.EventId == 3003);
        Assert.Contains(nameof(MarkingResultHandler), warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScopedHostResultHandler_RegisteredAfter_LetsTheAppStart_AndIsNamedInAStartUpWarning()
    {
        await using var host = await StartAsync(registerBefore: false, s => s.AddScoped<IAuthorizationMiddlewareResultHandler, MarkingResultHandler>());

        var anonymous = await host.GetAsync("/json-api/listaccts", authorization: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("ran", Assert.Single(anonymous.Headers.GetValues("X-Host-Handler")));
        var warning = Assert.Single(host.Log.Lines, l => l.EventId == 3003);
        Assert.Contains(nameof(MarkingResultHandler), warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizePolicyNamingAPrivilegeOutsideTheCatalogue_StopsStartUp_NamingTheEndpointAndThePrivilege()
    {
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => new ApiTokensTestHostBuilder()
            .ConfigureApp(app =>
            {
                app.MapGet("/typo", () => "accounts").WithMetadata(new AuthorizeAttribute("whm:list-acct")).WithDisplayName("typo endpoint");
                app.MapGet("/fine", () => "accounts").RequireAuthorization("whm:list-accts");
            })
            .StartAsync());

        Assert.Contains("typo endpoint requires 'list-acct' (policy 'whm:list-acct')", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("list-accts", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A provider that answers only its own names, and nothing else (not even the default policy's names).</summary>
    private sealed class OwnNamesOnlyProvider : IAuthorizationPolicyProvider
    {
        public Task<AuthorizationPolicy?> GetPolicyAsync(string policyName) => Task.FromResult<AuthorizationPolicy?>(null);

        public Task<AuthorizationPolicy> GetDefaultPolicyAsync() => Task.FromResult(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        public Task<AuthorizationPolicy?> GetFallbackPolicyAsync() => Task.FromResult<AuthorizationPolicy?>(null);
    }

    [Fact]
    public async Task HostPolicyProvider_RegisteredAfter_AnsweringOnlyItsOwnNames_StopsStartUpWithTheFix()
    {
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() =>
            StartAsync(registerBefore: false, s => s.AddSingleton<IAuthorizationPolicyProvider, OwnNamesOnlyProvider>()));
        Assert.Contains("'whm:list-accts'", error.Message, StringComparison.Ordinal);
        Assert.Contains("DefaultAuthorizationPolicyProvider", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostPolicyProvider_RegisteredBefore_AnsweringOnlyItsOwnNames_IsWrapped()
    {
        await using var host = await StartAsync(registerBefore: true, s => s.AddSingleton<IAuthorizationPolicyProvider, OwnNamesOnlyProvider>());
        var root = host.Accounts.Add("root", "all");
        var lister = $"whm root:{(await host.CreateTokenAsync(root, "lister", ["list-accts"])).PlaintextToken}";
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, "/json-api/listaccts", lister)).StatusCode);
    }
}
