using System.Net;
using System.Text.Json;
using ApiTokens.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.OpenApi.Tests;

/// <summary>
/// The document an app serves with <c>AddOpenApi(o =&gt; o.AddWhmTokenSecurity())</c> and <c>MapOpenApi()</c>, read over HTTP
/// from a real Kestrel app, as a tool (Swagger UI, a client generator) reads it.
/// </summary>
public sealed class WhmTokenSecurityTests : IAsyncLifetime
{
    private ApiTokensTestHost _host = null!;
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        _host = await new ApiTokensTestHostBuilder()
            .ConfigureServices(s => s.AddOpenApi(o => o.AddWhmTokenSecurity()))
            .ConfigureApp(app =>
            {
                app.MapOpenApi();
                app.MapGet("/public", () => "hello");
                app.MapGet("/accounts", () => "[]").RequirePrivilege("list-accts");
                app.MapGet("/both", () => "ok").RequirePrivilege("list-accts", "acct-summary");
                app.MapPost("/kill", [RequirePrivilege("kill-acct")] () => Results.NoContent());
                app.MapGet("/overridden", () => "ok").RequirePrivilege("list-accts").AllowAnonymous();
                app.MapGet("/described", () => "ok").RequirePrivilege("list-accts").WithDescription("Lists the accounts.");
                var group = app.MapGroup("/admin").RequirePrivilege("edit-account");
                group.MapGet("/rename", () => "ok").RequirePrivilege("list-accts");
                app.MapMethods("/raw/{user:alpha}", ["GET", "POST"], context => context.Response.WriteAsync("ok")).RequirePrivilege("acct-summary");
                app.MapGet("/hidden", context => context.Response.WriteAsync("ok")).RequirePrivilege("list-accts").ExcludeFromDescription();
                app.MapWhmTokenApi();
            })
            .StartAsync();
        using var response = await _host.GetAsync("/openapi/v1.json", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        _document = json.RootElement.Clone();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void Document_DeclaresTheWhmScheme_AsAnApiKeyInTheAuthorizationHeader()
    {
        var scheme = _document.GetProperty("components").GetProperty("securitySchemes").GetProperty("whm");

        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("Authorization", scheme.GetProperty("name").GetString());
        Assert.Contains("whm USER:TOKEN", scheme.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PrivilegeEndpoint_RequiresTheWhmScheme_AndNamesItsPrivilege()
    {
        var operation = Operation("/accounts", "get");

        Assert.Equal(["whm"], SecuritySchemes(operation));
        Assert.Equal(["list-accts"], Privileges(operation));
        Assert.Equal("Requires the privilege `list-accts` (or `all`): Authorization: whm USER:TOKEN.", operation.GetProperty("description").GetString());
        var responses = operation.GetProperty("responses");
        Assert.True(responses.TryGetProperty("401", out _));
        Assert.Contains("missing_privileges", responses.GetProperty("403").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void EndpointWithSeveralPrivileges_ListsThemAll()
    {
        Assert.Equal(["list-accts", "acct-summary"], Privileges(Operation("/both", "get")));
        Assert.Contains("`list-accts`, `acct-summary`", Operation("/both", "get").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RequirePrivilegeAttribute_OnTheHandler_IsMarkedToo()
    {
        var operation = Operation("/kill", "post");

        Assert.Equal(["whm"], SecuritySchemes(operation));
        Assert.Equal(["kill-acct"], Privileges(operation));
    }

    [Fact]
    public void GroupAndEndpointPrivileges_AreBothListed()
    {
        Assert.Equal(["edit-account", "list-accts"], Privileges(Operation("/admin/rename", "get")));
    }

    [Fact]
    public void AnAppDescription_IsKept_AndThePrivilegeLineFollowsIt()
    {
        Assert.Equal(
            "Lists the accounts.\n\nRequires the privilege `list-accts` (or `all`): Authorization: whm USER:TOKEN.",
            Operation("/described", "get").GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("/public")]
    [InlineData("/overridden")]
    public void PublicOrAnonymousEndpoint_HasNoSecurityRequirement(string path)
    {
        var operation = Operation(path, "get");

        Assert.False(operation.TryGetProperty("security", out _));
        Assert.False(operation.TryGetProperty("x-whm-privileges", out _));
    }

    [Fact]
    public void WhmTokenApi_ProtectedByAPolicyObject_IsMarkedWithManageApiTokens()
    {
        var paths = _document.GetProperty("paths");
        if (!paths.TryGetProperty("/json-api/api_token_list", out var item))
        {
            Assert.Fail("MapWhmTokenApi's endpoints are not in the document: " + string.Join(", ", paths.EnumerateObject().Select(p => p.Name)));
        }

        foreach (var operation in item.EnumerateObject().Where(p => p.Name is "get" or "post").Select(p => p.Value))
        {
            Assert.Equal(["whm"], SecuritySchemes(operation));
            Assert.Equal(["manage-api-tokens"], Privileges(operation));
        }
    }

    [Fact]
    public void RequestDelegateEndpoint_LeftOutByTheApiExplorer_IsAddedWithItsMethodsPathParameterAndPrivilege()
    {
        foreach (var method in new[] { "get", "post" })
        {
            var operation = Operation("/raw/{user}", method);
            Assert.Equal(["whm"], SecuritySchemes(operation));
            Assert.Equal(["acct-summary"], Privileges(operation));
            var parameter = Assert.Single(operation.GetProperty("parameters").EnumerateArray());
            Assert.Equal("user", parameter.GetProperty("name").GetString());
            Assert.Equal("path", parameter.GetProperty("in").GetString());
            Assert.True(parameter.GetProperty("required").GetBoolean());
        }
    }

    [Fact]
    public void EndpointExcludedFromDescription_StaysOut()
    {
        Assert.False(_document.GetProperty("paths").TryGetProperty("/hidden", out _));
    }

    private JsonElement Operation(string path, string method) => _document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static string[] SecuritySchemes(JsonElement operation) =>
        [.. operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name))];

    private static string[] Privileges(JsonElement operation) =>
        [.. operation.GetProperty("x-whm-privileges").EnumerateArray().Select(p => p.GetString()!)];
}
