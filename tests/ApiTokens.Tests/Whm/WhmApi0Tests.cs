using System.Net;
using ApiTokens.Tests.Infrastructure;
using ApiTokens.Whm;
using Microsoft.AspNetCore.Builder;

namespace ApiTokens.Tests.Whm;

/// <summary>
/// WHM's transport for a host's own functions (issue 13, item 1): GET and POST with the query string and form body joined,
/// <c>api.version=1</c> → API 1's envelope, no <c>api.version</c> → the function's API 0 shape.
/// </summary>
public sealed class WhmApi0Tests : IAsyncLifetime
{
    private WhmTestServer _server = null!;
    private string _auth = null!;

    public async Task InitializeAsync()
    {
        _server = await WhmTestServer.StartAsync(map: app =>
        {
            app.MapWhmTokenApi();
            app.MapWhmFunction("version", WhmApi0Shape.Data, (_, _) =>
                Task.FromResult(WhmApiResult.Success("version", w => w.WriteString("version", "11.126.0.5"))));
            app.MapWhmFunction("listpkgs", WhmApi0Shape.Status, (_, p) => Task.FromResult(p.Get("search") == "none"
                ? WhmApiResult.SuccessWithoutData("listpkgs")
                : WhmApiResult.Success("listpkgs", "Ok", w =>
                {
                    w.WriteStartArray("pkg");
                    w.WriteStartObject();
                    w.WriteString("user", p.Get("search") ?? "all");
                    w.WriteEndObject();
                    w.WriteEndArray();
                })));
            app.MapWhmFunction("suspendacct", WhmApi0Shape.ResultList, (_, p) => Task.FromResult(p.Get("user") is { } user
                ? WhmApiResult.Success("suspendacct", $"{user} account is now suspended.", w => w.WriteString("user", user))
                : WhmApiResult.Failure("suspendacct", "Specify a user.")));
        });
        var root = _server.Accounts.Add("root", "all");
        _auth = "whm root:" + (await _server.CreateTokenAsync(root, "main")).PlaintextToken;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> CallAsync(HttpMethod method, string pathAndQuery, params (string Name, string Value)[] form)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (form.Length > 0)
        {
            request.Content = new FormUrlEncodedContent(form.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));
        }

        request.Headers.TryAddWithoutValidation("Authorization", _auth);
        using var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task Version_AnswersBothShapes_OnBothMethods(string method)
    {
        var m = new HttpMethod(method);
        Assert.Equal("""{"version":"11.126.0.5"}""", await CallAsync(m, "/json-api/version"));
        Assert.Equal("""{"version":"11.126.0.5"}""", await CallAsync(m, "/json-api/version?api.version=0"));
        Assert.Equal(
            """{"metadata":{"command":"version","version":1,"result":1,"reason":"OK"},"data":{"version":"11.126.0.5"}}""",
            await CallAsync(m, "/json-api/version?api.version=1"));
    }

    [Fact]
    public async Task Listaccts_Api0_PutsStatusAfterTheMembers_AndAQueryPlusFormPostIsJoined()
    {
        Assert.Equal("""{"pkg":[{"user":"bob"}],"status":1,"statusmsg":"Ok"}""", await CallAsync(HttpMethod.Get, "/json-api/listpkgs?search=bob"));

        // A POST with api.version in the query string and the search in the body: both are read.
        Assert.Equal(
            """{"metadata":{"command":"listpkgs","version":1,"result":1,"reason":"Ok"},"data":{"pkg":[{"user":"carol"}]}}""",
            await CallAsync(HttpMethod.Post, "/json-api/listpkgs?api.version=1", ("search", "carol")));

        Assert.Equal("""{"status":1,"statusmsg":"OK"}""", await CallAsync(HttpMethod.Get, "/json-api/listpkgs?search=none"));
        Assert.Equal(
            """{"metadata":{"command":"listpkgs","version":1,"result":1,"reason":"OK"}}""",
            await CallAsync(HttpMethod.Get, "/json-api/listpkgs?search=none&api.version=1"));
    }

    [Fact]
    public async Task ResultList_Api0_CarriesStatusAndMembersInOneEntry_ForSuccessAndFailure()
    {
        Assert.Equal(
            """{"result":[{"status":1,"statusmsg":"bob account is now suspended.","user":"bob"}]}""",
            await CallAsync(HttpMethod.Post, "/json-api/suspendacct", ("user", "bob")));
        Assert.Equal("""{"result":[{"status":0,"statusmsg":"Specify a user."}]}""", await CallAsync(HttpMethod.Get, "/json-api/suspendacct"));
        Assert.Equal(
            """{"metadata":{"command":"suspendacct","version":1,"result":0,"reason":"Specify a user."},"data":{}}""",
            await CallAsync(HttpMethod.Get, "/json-api/suspendacct?api.version=1"));
    }

    [Fact]
    public async Task AnUnsupportedVersion_IsRefusedInApi1_AndTheTokenCallsAnswerApi1WithoutAVersion()
    {
        Assert.Contains("\"result\":0", await CallAsync(HttpMethod.Get, "/json-api/version?api.version=2"), StringComparison.Ordinal);
        Assert.StartsWith("""{"metadata":{"command":"api_token_list","version":1,"result":1""", await CallAsync(HttpMethod.Get, "/json-api/api_token_list"), StringComparison.Ordinal);
        Assert.Equal("""{"status":0,"statusmsg":"Specify a user."}""", WhmApiResult.Failure("listpkgs", "Specify a user.").ToJson(WhmApi0Shape.Data));
    }
}
