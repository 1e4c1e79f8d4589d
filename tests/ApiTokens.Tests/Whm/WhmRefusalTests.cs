using System.Net;
using System.Text.Json;
using ApiTokens.Tests.Infrastructure;
using ApiTokens.Whm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Whm;

/// <summary>
/// WHM's refusals on WHM routes (issue 13, item 2): cpsrvd's 403 "Access denied" for every refused credential, a 403 WHM answer
/// naming a missing privilege, the unknown-function envelope; the host's own endpoints keep ASP.NET's answers; one option
/// switches WHM routes back to them.
/// </summary>
public sealed class WhmRefusalTests
{
    private const string AccessDenied =
        """{"cpanelresult":{"apiversion":"2","error":"Access denied","data":{"reason":"Access denied","result":"0"},"type":"text"}}""";

    private static void Map(WebApplication app)
    {
        app.MapWhmTokenApi();
        app.MapWhmFunction("listpkgs", WhmApi0Shape.Status, (_, _) => Task.FromResult(WhmApiResult.Success("listpkgs", "Ok", w =>
        {
            w.WriteStartArray("pkg");
            w.WriteEndArray();
        }))).RequirePrivilege("list-pkgs");
        app.MapGet("/host/accounts", () => "accounts").RequirePrivilege("list-pkgs");
    }

    private static Task<WhmTestServer> StartAsync(Action<IServiceCollection>? services = null) =>
        WhmTestServer.StartAsync(map: Map, services: services);

    private static async Task<(HttpStatusCode Status, string? ContentType, string Body, bool Challenge)> ObserveAsync(HttpResponseMessage response)
    {
        using (response)
        {
            return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync(),
                response.Headers.WwwAuthenticate.Count > 0);
        }
    }

    [Fact]
    public async Task EveryRefusedCredential_OnAWhmRoute_IsCpsrvdsAccessDenied_ByteForByte()
    {
        await using var server = await StartAsync();
        var root = server.Accounts.Add("root", "all");
        var bob = server.Accounts.Add("bob", "all");
        var good = await server.CreateTokenAsync(root, "good");
        var revoked = await server.CreateTokenAsync(root, "revoked");
        await server.Manager.RevokeAsync(root.Id, "revoked");
        var expiring = await server.CreateTokenAsync(root, "expiring", expiresAt: server.Time.GetUtcNow().AddMinutes(1));
        var elsewhere = await server.CreateTokenAsync(root, "elsewhere", whitelist: ["203.0.113.7"]);
        var bobs = await server.CreateTokenAsync(bob, "bobs");
        server.Accounts.Update(bob.Id, isSuspended: true);
        await server.Manager.AccountChangedAsync(bob.Id);
        server.Time.Advance(TimeSpan.FromMinutes(2));
        var wrongSecret = good.PlaintextToken[..^1] + (good.PlaintextToken[^1] == 'A' ? 'B' : 'A');

        string?[] refused =
        [
            null,
            "whm nobody:" + good.PlaintextToken,
            "whm root:" + wrongSecret,
            "whm root:" + revoked.PlaintextToken,
            "whm root:" + expiring.PlaintextToken,
            "whm root:" + elsewhere.PlaintextToken,
            "whm bob:" + bobs.PlaintextToken,
            "whm root",
            "Basic cm9vdDpzZWNyZXQ=",
        ];
        foreach (var path in new[] { "/json-api/api_token_list", "/json-api/listpkgs?api.version=1", "/json-api/listpkgs", "/json-api/no_such_function" })
        {
            foreach (var authorization in refused)
            {
                var (status, contentType, body, challenge) = await ObserveAsync(await server.GetAsync(path, authorization));
                Assert.Equal(HttpStatusCode.Forbidden, status);
                Assert.Equal("text/plain", contentType);
                Assert.Equal(AccessDenied, body);
                Assert.False(challenge);
            }
        }

        var ok = await server.GetAsync("/json-api/api_token_list", "root", good.PlaintextToken);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task TheHostsOwnEndpoints_KeepAspNetCoresAnswers()
    {
        await using var server = await StartAsync();
        var root = server.Accounts.Add("root", "all");
        var limited = await server.CreateTokenAsync(root, "limited", ["basic-whm-functions"]);

        var (status, _, body, challenge) = await ObserveAsync(await server.GetAsync("/host/accounts", "whm root:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(challenge);
        Assert.Empty(body);

        (status, var contentType, body, _) = await ObserveAsync(await server.GetAsync("/host/accounts", "root", limited.PlaintextToken));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Contains("list-pkgs", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingPrivilege_OnAWhmRoute_Is403WithTheWhmEnvelopeNamingIt_OrApi0sPermissionDenied()
    {
        await using var server = await StartAsync();
        var reseller = server.Accounts.Add("reseller", "basic-whm-functions", "list-pkgs");
        var limited = await server.CreateTokenAsync(reseller, "limited", ["basic-whm-functions"]);
        var auth = "whm reseller:" + limited.PlaintextToken;

        var (status, contentType, body, _) = await ObserveAsync(await server.GetAsync("/json-api/listpkgs?api.version=1", auth));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.StartsWith("application/json", contentType, StringComparison.Ordinal);
        Assert.Equal(
            """{"metadata":{"command":"listpkgs","version":1,"result":0,"reason":"Access denied: this call needs the “list-pkgs” privilege."},"data":{}}""",
            body);

        (status, _, body, _) = await ObserveAsync(await server.GetAsync("/json-api/listpkgs", auth));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("""{"status":0,"statusmsg":"Permission Denied"}""", body);

        // api.version in a form body counts too.
        using var post = new HttpRequestMessage(HttpMethod.Post, "/json-api/listpkgs")
        {
            Content = new FormUrlEncodedContent([new("api.version", "1")]),
        };
        post.Headers.TryAddWithoutValidation("Authorization", auth);
        (status, _, body, _) = await ObserveAsync(await server.Client.SendAsync(post));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("\"reason\":\"Access denied: this call needs the “list-pkgs” privilege.\"", body, StringComparison.Ordinal);

        // The token calls exist only in API 1: their refusal is the envelope with or without api.version.
        (status, _, body, _) = await ObserveAsync(await server.GetAsync("/json-api/api_token_list", auth));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(
            """{"metadata":{"command":"api_token_list","version":1,"result":0,"reason":"Access denied: this call needs the “manage-api-tokens” privilege."},"data":{}}""",
            body);
    }

    [Fact]
    public async Task AnUnknownFunction_IsTheWhmEnvelopeWithResult0()
    {
        await using var server = await StartAsync();
        var root = server.Accounts.Add("root", "all");
        var token = await server.CreateTokenAsync(root, "main");

        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
        {
            using var request = new HttpRequestMessage(method, "/json-api/frobnicate?api.version=1");
            request.Headers.TryAddWithoutValidation("Authorization", "whm root:" + token.PlaintextToken);
            var (status, _, body, _) = await ObserveAsync(await server.Client.SendAsync(request));
            Assert.Equal(HttpStatusCode.OK, status);
            using var document = JsonDocument.Parse(body);
            var metadata = document.RootElement.GetProperty("metadata");
            Assert.Equal("frobnicate", metadata.GetProperty("command").GetString());
            Assert.Equal(0, metadata.GetProperty("result").GetInt32());
            Assert.Equal("Unknown app (“frobnicate”) requested for this version (1) of the API.", metadata.GetProperty("reason").GetString());
        }
    }

    [Theory]
    [InlineData("PUT", "/json-api/listpkgs")]
    [InlineData("DELETE", "/json-api/api_token_list")]
    [InlineData("PATCH", "/json-api/no_such_function")]
    public async Task AnotherMethod_IsNeverA405_ButTheEnvelopeWithResult0_OrTheRefusal(string method, string path)
    {
        await using var server = await StartAsync();
        var root = server.Accounts.Add("root", "all");
        var token = await server.CreateTokenAsync(root, "main");

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.TryAddWithoutValidation("Authorization", "whm root:" + token.PlaintextToken);
        var (status, _, body, _) = await ObserveAsync(await server.Client.SendAsync(request));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"\"result\":0,\"reason\":\"WHM functions answer GET and POST, not {method}.\"", body, StringComparison.Ordinal);

        (status, var contentType, body, _) = await ObserveAsync(await server.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("text/plain", contentType);
        Assert.Equal(AccessDenied, body);
    }

    [Fact]
    public async Task TheRefusalReadsApiVersionAsTheFunctionDoes_FirstValueQueryBeforeForm_And0IsApi0()
    {
        await using var server = await StartAsync();
        var reseller = server.Accounts.Add("reseller", "basic-whm-functions", "list-pkgs");
        var limited = await server.CreateTokenAsync(reseller, "limited", ["basic-whm-functions"]);
        var auth = "whm reseller:" + limited.PlaintextToken;

        foreach (var query in new[] { "api.version=&api.version=1", "api.version=0" })
        {
            var (status, _, body, _) = await ObserveAsync(await server.GetAsync("/json-api/listpkgs?" + query, auth));
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal("""{"status":0,"statusmsg":"Permission Denied"}""", body);
        }

        var (_, _, api1, _) = await ObserveAsync(await server.GetAsync("/json-api/listpkgs?api.version=1&api.version=", auth));
        Assert.StartsWith("""{"metadata":{"command":"listpkgs","version":1,"result":0""", api1, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVeryLongUnknownFunctionName_IsEchoedShortened()
    {
        await using var server = await StartAsync();
        var root = server.Accounts.Add("root", "all");
        var token = await server.CreateTokenAsync(root, "main");
        var name = new string('x', 5000);

        var (status, _, body, _) = await ObserveAsync(await server.GetAsync("/json-api/" + name, "root", token.PlaintextToken));
        Assert.Equal(HttpStatusCode.OK, status);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(new string('x', 64) + "…", document.RootElement.GetProperty("metadata").GetProperty("command").GetString());
        Assert.True(body.Length < 400, body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task UseAspNetCoreRefusals_SwitchesWhmRoutesToAspNetCoresAnswers()
    {
        await using var server = await StartAsync(s => s.Configure<WhmApiOptions>(o => o.UseAspNetCoreRefusals = true));
        var reseller = server.Accounts.Add("reseller", "basic-whm-functions", "list-pkgs");
        var limited = await server.CreateTokenAsync(reseller, "limited", ["basic-whm-functions"]);

        var (status, _, body, challenge) = await ObserveAsync(await server.GetAsync("/json-api/api_token_list", "whm reseller:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(challenge);
        Assert.Empty(body);

        (status, var contentType, body, _) = await ObserveAsync(await server.GetAsync("/json-api/listpkgs", "reseller", limited.PlaintextToken));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Contains("list-pkgs", body, StringComparison.Ordinal);
    }
}
