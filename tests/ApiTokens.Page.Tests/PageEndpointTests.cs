using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using ApiTokens.Page.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Page.Tests;

/// <summary>
/// The page's endpoint filter and JSON endpoints over HTTP, without a browser (these run on every machine): who gets in, what
/// antiforgery refuses, what whm tokens may do, the name rule the script receives, and what is logged.
/// </summary>
public sealed partial class PageEndpointTests : IAsyncLifetime
{
    private static readonly object NewToken = new { name = "from-test", acls = new[] { "list-accts" } };

    private PageTestHost _host = null!;

    public async Task InitializeAsync() => _host = await PageTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task JsonCall_WithoutSignIn_Answers401NotSignedIn_AndChangesNothing()
    {
        using var client = new PageHttpClient(_host);

        using var list = await client.SendAsync(HttpMethod.Get, "/tokens/api/tokens");
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal("not_signed_in", await ErrorCodeAsync(list));
        Assert.Equal("no-store", list.Headers.CacheControl?.ToString());

        using var create = await client.SendAsync(HttpMethod.Post, "/tokens/api/tokens", NewToken);
        Assert.Equal(HttpStatusCode.Unauthorized, create.StatusCode);
        Assert.Empty(await _host.TokenNamesAsync("root"));
    }

    [Fact]
    public async Task Page_WithoutSignIn_ChallengesToTheHostsLogin()
    {
        using var client = new PageHttpClient(_host);
        using var page = await client.SendAsync(HttpMethod.Get, "/tokens");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login?ReturnUrl=%2Ftokens", page.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CookiePost_WithoutTheAntiforgeryToken_IsRefused400_ChangesNothing_AndLogs5002WithoutSecrets()
    {
        using var client = new PageHttpClient(_host);
        await client.LogInAsync("root");
        await client.SessionAsync();

        using var create = await client.SendAsync(HttpMethod.Post, "/tokens/api/tokens", NewToken, antiforgery: false);
        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        Assert.Equal("antiforgery", await ErrorCodeAsync(create));
        using var revokeAll = await client.SendAsync(HttpMethod.Post, "/tokens/api/revoke-all", antiforgery: false);
        Assert.Equal(HttpStatusCode.BadRequest, revokeAll.StatusCode);
        Assert.Empty(await _host.TokenNamesAsync("root"));

        Assert.Equal(2, _host.Logs.Count(5002));
        Assert.DoesNotContain(client.Antiforgery!.Value.Token, _host.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CookiePost_WithTheSessionsAntiforgeryToken_CreatesTheToken()
    {
        using var client = new PageHttpClient(_host);
        await client.LogInAsync("root");
        await client.SessionAsync();

        using var create = await client.SendAsync(HttpMethod.Post, "/tokens/api/tokens", NewToken, antiforgery: true);
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.Equal(["from-test"], await _host.TokenNamesAsync("root"));
    }

    [Fact]
    public async Task CookieGet_NeedsNoAntiforgeryToken()
    {
        using var client = new PageHttpClient(_host);
        await client.LogInAsync("root");
        using var list = await client.SendAsync(HttpMethod.Get, "/tokens/api/tokens");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task SignedInUserWithoutManageApiTokens_GetsTheNotAllowedPage_And403_AndLogs5001()
    {
        using var client = new PageHttpClient(_host);
        await client.LogInAsync("viewer");

        using var page = await client.SendAsync(HttpMethod.Get, "/tokens");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("does not have the Manage API Tokens privilege (manage-api-tokens)", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var api = await client.SendAsync(HttpMethod.Get, "/tokens/api/tokens");
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal("not_allowed", await ErrorCodeAsync(api));
        Assert.Equal(2, _host.Logs.Count(5001));
    }

    [Fact]
    public async Task WhmTokenCall_WithManageApiTokens_WorksWithoutAntiforgery()
    {
        var token = await _host.CreateTokenAsync("root", "token-manager", [WhmPrivileges.ManageApiTokens]);
        using var client = new PageHttpClient(_host);
        var whm = new AuthenticationHeaderValue("whm", $"root:{token}");

        using var create = await client.SendAsync(HttpMethod.Post, "/tokens/api/tokens", NewToken, authorization: whm);
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        using var revoke = await client.SendAsync(HttpMethod.Delete, "/tokens/api/tokens/from-test", authorization: whm);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(["token-manager"], await _host.TokenNamesAsync("root"));
        Assert.DoesNotContain(token, _host.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonApi_AcceptsWhmTokensWithoutAntiforgery_OnlyWithManageApiTokens()
    {
        var manager = await _host.CreateTokenAsync("root", "token-manager", [WhmPrivileges.ManageApiTokens]);
        var lister = await _host.CreateTokenAsync("root", "lister", ["list-accts"]);

        using (var list = await _host.CallWithTokenAsync("/tokens/api/tokens", "root", manager))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            using var json = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
            Assert.Equal(2, json.RootElement.GetProperty("tokens").GetArrayLength());
        }

        using (var refused = await _host.CallWithTokenAsync("/tokens/api/tokens", "root", lister))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using (var revoke = await _host.CallWithTokenAsync("/tokens/api/tokens/lister", "root", manager, HttpMethod.Delete))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        using (var bad = await _host.CallWithTokenAsync("/tokens/api/tokens", "root", "WRONGWRONGWRONGWRONGWRONGWRONG00"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        }

        Assert.Equal(["token-manager"], await _host.TokenNamesAsync("root"));
    }

    [Fact]
    public async Task Session_CarriesTheNameRuleFromTokenNames()
    {
        using var client = new PageHttpClient(_host);
        await client.LogInAsync("root");

        var session = await client.SessionAsync();

        Assert.Equal(TokenNames.MaxLength, session.GetProperty("name_max_length").GetInt32());
        Assert.Equal(TokenNames.Pattern, session.GetProperty("name_pattern").GetString());
        Assert.Equal("root", session.GetProperty("user").GetString());
        Assert.NotNull(client.Antiforgery);
    }

    [Fact]
    public async Task Session_ForAWhmToken_HasNoAntiforgeryToken()
    {
        var token = await _host.CreateTokenAsync("root", "token-manager", [WhmPrivileges.ManageApiTokens]);
        using var session = await _host.CallWithTokenAsync("/tokens/api/session", "root", token);
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        using var json = JsonDocument.Parse(await session.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("antiforgery").ValueKind);
    }

    [Fact]
    public async Task PageAndScript_StateTheSameNameRule_NoOtherCopy()
    {
        using var client = new PageHttpClient(_host);
        await client.LogInAsync("root");
        using var page = await client.SendAsync(HttpMethod.Get, "/tokens");
        Assert.Contains($"up to {TokenNames.MaxLength} alphanumeric characters", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var script = await client.SendAsync(HttpMethod.Get, "/tokens/tokens.js");
        var js = await script.Content.ReadAsStringAsync();
        Assert.Contains("state.session.name_pattern", js, StringComparison.Ordinal);
        Assert.Contains("state.session.name_max_length", js, StringComparison.Ordinal);
        Assert.DoesNotMatch(NumberFifty(), js);
        Assert.DoesNotContain("/^[A-Za-z0-9", js, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadBody_IsAnsweredWithAJsonError_NeverA500()
    {
        var token = await _host.CreateTokenAsync("root", "token-manager", [WhmPrivileges.ManageApiTokens]);
        using var client = new PageHttpClient(_host);
        var whm = new AuthenticationHeaderValue("whm", $"root:{token}");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/tokens/api/tokens") { Content = new StringContent("{not json", null, "application/json") };
        request.Headers.Authorization = whm;
        using var invalid = await new HttpClient { BaseAddress = _host.BaseAddress }.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("invalid_json", await ErrorCodeAsync(invalid));

        using var form = new HttpRequestMessage(HttpMethod.Post, "/tokens/api/tokens") { Content = new StringContent("name=x", null, "application/x-www-form-urlencoded") };
        form.Headers.Authorization = whm;
        using var unsupported = await new HttpClient { BaseAddress = _host.BaseAddress }.SendAsync(form);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
        Assert.Equal("unsupported_media_type", await ErrorCodeAsync(unsupported));
    }

    [Fact]
    public void MapApiTokensPage_WithoutAddPage_SaysWhatToCall()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        var ex = Assert.Throws<InvalidOperationException>(() => app.MapApiTokensPage("/tokens"));
        Assert.Contains(".AddPage()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPage_Twice_RegistersTheValidatorOnce()
    {
        var services = new ServiceCollection();
        services.AddApiTokens().AddPage().AddPage(o => o.Title = "Tokens");
        Assert.Single(services, d => d.ImplementationType?.Name == "ApiTokensPageOptionsValidator");
        Assert.Single(services, d => d.ServiceType.Name == "ApiTokensPageMarker");
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("error").GetProperty("code").GetString();
    }

    [GeneratedRegex(@"\b50\b")]
    private static partial Regex NumberFifty();
}
