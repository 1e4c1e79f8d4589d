using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ApiTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace ApiTokens.Tests.Whm;

public sealed class WhmTokenApiTests : IAsyncLifetime
{
    private WhmTestServer _server = null!;
    private string _auth = null!;

    public async Task InitializeAsync()
    {
        _server = await WhmTestServer.StartAsync(map: app => app.MapWhmTokenApi());
        var root = _server.Accounts.Add("root", "all");
        var created = await _server.CreateTokenAsync(root, "main");
        _auth = $"whm root:{created.PlaintextToken}";
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, HttpContent? content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", _auth);
        using var response = await _server.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MalformedFormBody_IsAWhmError_NotA500()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("--nope\r\ngarbage"));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=abc");
        var (status, body) = await PostAsync("/json-api/api_token_create", content);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"result\":0", body, StringComparison.Ordinal);
        Assert.Contains("could not be read as a form", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiVersionOtherThan1_IsRefused()
    {
        var (status, body) = await PostAsync("/json-api/api_token_list?api.version=2", null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Use api.version=1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryStringAndFormBody_AreMerged()
    {
        var (_, body) = await PostAsync(
            "/json-api/api_token_create?token_name=merged&acl=list-accts",
            new FormUrlEncodedContent([new("acl-1", "kill-acct")]));
        Assert.Contains("\"result\":1", body, StringComparison.Ordinal);
        Assert.Contains("\"acls\":[\"kill-acct\",\"list-accts\"]", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryAnswer_IsNeverCached()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/json-api/api_token_list");
        request.Headers.TryAddWithoutValidation("Authorization", _auth);
        using var response = await _server.Client.SendAsync(request);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Create_LogsTheAudit_WithActorAndAddress_ButNotTheToken()
    {
        var (_, body) = await PostAsync("/json-api/api_token_create", new FormUrlEncodedContent([new("token_name", "audited")]));
        var token = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("token").GetString()!;
        var audit = _server.Log.Lines.Single(l => l.EventId == 2001 && l.Message.Contains("audited", StringComparison.Ordinal));
        Assert.Contains("by root from 127.0.0.1", audit.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, _server.Log.AllText, StringComparison.Ordinal);
    }
}
