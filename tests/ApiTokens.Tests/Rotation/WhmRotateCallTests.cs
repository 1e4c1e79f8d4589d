using System.Net;
using System.Text.Json;
using ApiTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace ApiTokens.Tests.Rotation;

/// <summary>
/// <c>api_token_rotate</c> end to end on a real Kestrel host: the WHM envelope (API 1 with or without <c>api.version</c>, GET
/// and POST), the answer's keys, every refusal as a <c>result: 0</c> answer with nothing changed, and the 403 without
/// <c>manage-api-tokens</c>.
/// </summary>
public sealed class WhmRotateCallTests : IAsyncLifetime
{
    private static readonly long Start = WhmTestServer.Start.ToUnixTimeSeconds();

    private WhmTestServer _server = null!;
    private ApiTokenAccount _root = null!;
    private string _caller = null!;

    public async Task InitializeAsync()
    {
        _server = await WhmTestServer.StartAsync(
            o =>
            {
                o.Rotation.MaxGracePeriod = TimeSpan.FromDays(1);
                o.Policy.MaxCreatesPerAccountPerMinute = 0;
            },
            map: app => app.MapWhmTokenApi());
        _root = _server.Accounts.Add("root", "all");
        _caller = (await _server.CreateTokenAsync(_root, "caller")).PlaintextToken;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(HttpStatusCode Status, string Body)> CallAsync(HttpMethod method, string pathAndQuery, string? token = null, params (string Key, string Value)[] form)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (form.Length > 0)
        {
            request.Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
        }

        request.Headers.TryAddWithoutValidation("Authorization", $"whm root:{token ?? _caller}");
        using var response = await _server.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Refusal(string reason) =>
        """{"metadata":{"command":"api_token_rotate","version":1,"result":0,"reason":""" + "\"" + reason + "\"},\"data\":{}}";

    private async Task<HttpStatusCode> WhoAmIAsync(string token)
    {
        using var response = await _server.GetAsync("/whoami", "root", token);
        return response.StatusCode;
    }

    [Fact]
    public async Task Post_GivesTheTokenANewValue_AnswersItOnce_AndTheOldOneWorksForTheGracePeriod()
    {
        var old = (await _server.CreateTokenAsync(_root, "deploy", ["list-accts"], WhmTestServer.Start.AddDays(30))).PlaintextToken;

        var (status, body) = await CallAsync(HttpMethod.Post, "/json-api/api_token_rotate", null, ("api.version", "1"), ("token_name", "deploy"), ("grace_period", "3600"));

        Assert.Equal(HttpStatusCode.OK, status);
        var token = JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("token").GetString()!;
        Assert.Equal(
            $$$"""{"metadata":{"command":"api_token_rotate","version":1,"result":1,"reason":"OK"},"data":{"name":"deploy","create_time":{{{Start}}},"expires_at":{{{Start + (30 * 86400)}}},"token":"{{{token}}}","previous_token_expires_at":{{{Start + 3600}}}}}""",
            body);
        Assert.NotEqual(old, token);
        Assert.Equal(32, token.Length);
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(token));
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(old));
        var row = (await _server.Manager.FindByNameAsync(_root.Id, "deploy"))!;
        Assert.Equal(["list-accts"], row.Acls); // same settings

        _server.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(old));
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(token));
    }

    [Theory]
    [InlineData("GET", "/json-api/api_token_rotate?token_name=deploy")]
    [InlineData("GET", "/json-api/api_token_rotate?token_name=deploy&api.version=1")]
    [InlineData("POST", "/json-api/api_token_rotate?token_name=deploy")]
    [InlineData("POST", "/json-api/api_token_rotate?api.version=1&token_name=deploy&grace_period=0")]
    public async Task GetAndPost_WithOrWithoutApiVersion_AnswerTheApi1Envelope_AndWithoutAGracePeriodTheOldValueStopsAtOnce(string method, string path)
    {
        var old = (await _server.CreateTokenAsync(_root, "deploy")).PlaintextToken;

        var (status, body) = await CallAsync(new HttpMethod(method), path);

        Assert.Equal(HttpStatusCode.OK, status);
        using var answer = JsonDocument.Parse(body);
        Assert.StartsWith("""{"metadata":{"command":"api_token_rotate","version":1,"result":1,"reason":"OK"},"data":{"name":"deploy",""", body, StringComparison.Ordinal);
        var data = answer.RootElement.GetProperty("data");
        Assert.Equal(JsonValueKind.Null, data.GetProperty("expires_at").ValueKind);
        Assert.Equal(Start, data.GetProperty("previous_token_expires_at").GetInt64());
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(old));
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(data.GetProperty("token").GetString()!));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("1.5")]
    [InlineData("1h")]
    [InlineData("99999999999999999999")]
    public async Task AMalformedGracePeriod_IsResult0WithTheReason_AndNothingChanges(string value)
    {
        var old = (await _server.CreateTokenAsync(_root, "deploy")).PlaintextToken;
        var before = await _server.Manager.FindByNameAsync(_root.Id, "deploy");

        var (status, body) = await CallAsync(HttpMethod.Post, "/json-api/api_token_rotate", null, ("token_name", "deploy"), ("grace_period", value));

        Assert.Equal(HttpStatusCode.OK, status);
        using var answer = JsonDocument.Parse(body);
        Assert.Equal(0, answer.RootElement.GetProperty("metadata").GetProperty("result").GetInt32());
        Assert.Equal(
            $"The parameter “grace_period” must be a whole number of seconds from 0 to 86400 (1 day): how long the old token keeps working. “{value}” is not. Nothing was changed.",
            answer.RootElement.GetProperty("metadata").GetProperty("reason").GetString());
        Assert.Equal("{}", answer.RootElement.GetProperty("data").GetRawText());
        Assert.Equal(before, await _server.Manager.FindByNameAsync(_root.Id, "deploy"));
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(old));
    }

    [Fact]
    public async Task AGracePeriodOverTheMaximum_IsResult0NamingTheMaximum_AndNothingChanges()
    {
        await _server.CreateTokenAsync(_root, "deploy");
        var before = await _server.Manager.FindByNameAsync(_root.Id, "deploy");

        var (_, over) = await CallAsync(HttpMethod.Post, "/json-api/api_token_rotate", null, ("token_name", "deploy"), ("grace_period", "86401"));
        var (_, most) = await CallAsync(HttpMethod.Post, "/json-api/api_token_rotate", null, ("token_name", "deploy"), ("grace_period", " 86400 "));

        Assert.Equal(
            """{"metadata":{"command":"api_token_rotate","version":1,"result":0,"reason":"The grace period must be between 0 seconds and 1 day (86400 seconds)."},"data":{}}""",
            over);
        Assert.Contains($"\"previous_token_expires_at\":{Start + 86400}", most, StringComparison.Ordinal);
        Assert.Equal(before!.Selector, (await _server.Manager.FindByNameAsync(_root.Id, "deploy"))!.PreviousSelector);
    }

    [Fact]
    public async Task Refusals_AreResult0WithTheManagersReason()
    {
        await _server.CreateTokenAsync(_root, "short", expiresAt: WhmTestServer.Start.AddMinutes(1));
        _server.Time.Advance(TimeSpan.FromMinutes(2));

        var (_, missing) = await CallAsync(HttpMethod.Post, "/json-api/api_token_rotate");
        var (_, empty) = await CallAsync(HttpMethod.Post, "/json-api/api_token_rotate", null, ("token_name", ""));
        var (_, unknown) = await CallAsync(HttpMethod.Post, "/json-api/api_token_rotate", null, ("token_name", "ghost"));
        var (_, expired) = await CallAsync(HttpMethod.Post, "/json-api/api_token_rotate", null, ("token_name", "short"));

        Assert.Equal(Refusal("The parameter “token_name” is required. Add token_name=… to the query string or form body."), missing);
        Assert.Equal(missing, empty);
        Assert.Equal(Refusal("The API token “ghost” does not exist."), unknown);
        Assert.Equal(Refusal("The API token “short” has expired, so it cannot be regenerated. Create a new token instead."), expired);
    }

    [Fact]
    public async Task OverThePerAccountCreateLimit_IsResult0_AndNothingChanges()
    {
        await using var server = await WhmTestServer.StartAsync(o => o.Policy.MaxCreatesPerAccountPerMinute = 2, map: app => app.MapWhmTokenApi());
        var root = server.Accounts.Add("root", "all");
        var caller = (await server.CreateTokenAsync(root, "caller")).PlaintextToken;
        await server.CreateTokenAsync(root, "deploy");
        var before = await server.Manager.FindByNameAsync(root.Id, "deploy");

        using var response = await server.GetAsync("/json-api/api_token_rotate?token_name=deploy", "root", caller);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """{"metadata":{"command":"api_token_rotate","version":1,"result":0,"reason":"This account has asked for 2 new API token values in the last minute, the most this server allows. Nothing was stored; try again in a minute."},"data":{}}""",
            body);
        Assert.Equal(before, await server.Manager.FindByNameAsync(root.Id, "deploy"));
    }

    [Fact]
    public async Task WhenTheStoreIsDown_TheAnswerIsResult0_NeverA500()
    {
        await _server.CreateTokenAsync(_root, "deploy");
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(_caller)); // the caller is cached: it authenticates without the store
        _server.Store.Down = true;

        var (status, body) = await CallAsync(HttpMethod.Post, "/json-api/api_token_rotate", null, ("token_name", "deploy"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            $$$"""{"metadata":{"command":"api_token_rotate","version":1,"result":0,"reason":"{{{ApiTokenErrors.StoreUnavailable.Message}}}"},"data":{}}""",
            body);
    }

    [Fact]
    public async Task WithoutManageApiTokens_ItIsThe403WhmRefusal_AndNothingChanges()
    {
        var lister = (await _server.CreateTokenAsync(_root, "lister", ["list-accts"])).PlaintextToken;
        var before = await _server.Manager.FindByNameAsync(_root.Id, "caller");

        var (status, body) = await CallAsync(HttpMethod.Post, "/json-api/api_token_rotate", lister, ("token_name", "caller"));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(
            """{"metadata":{"command":"api_token_rotate","version":1,"result":0,"reason":"Access denied: this call needs the “manage-api-tokens” privilege."},"data":{}}""",
            body);
        Assert.Equal(before, await _server.Manager.FindByNameAsync(_root.Id, "caller"));
    }

    [Fact]
    public async Task ARotation_IsAnAuditEvent_WithActorAndAddress_ButNoTokenValue()
    {
        var old = (await _server.CreateTokenAsync(_root, "deploy")).PlaintextToken;

        var (_, body) = await CallAsync(HttpMethod.Post, "/json-api/api_token_rotate", null, ("token_name", "deploy"), ("grace_period", "60"));

        var token = JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("token").GetString()!;
        var audit = Assert.Single(_server.Log.Lines, l => l.EventId == 2001 && l.Message.Contains("Rotated", StringComparison.Ordinal));
        Assert.Contains("token deploy", audit.Message, StringComparison.Ordinal);
        Assert.Contains("by root from 127.0.0.1", audit.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, _server.Log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(old, _server.Log.AllText, StringComparison.Ordinal);
    }
}
