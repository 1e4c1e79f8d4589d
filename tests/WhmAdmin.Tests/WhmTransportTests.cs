using System.Net;
using System.Text.Json;

namespace WhmAdmin.Tests;

/// <summary>
/// WHM's transport on the sample's account functions: every function answers GET and POST (never a 405), with the
/// query string and a form body joined, and keeps its privilege on both methods.
/// </summary>
public sealed class WhmTransportTests : IAsyncLifetime
{
    private SampleHost _host = null!;
    private string _root = null!;

    public async Task InitializeAsync()
    {
        _host = await SampleHost.StartAsync();
        _root = await _host.CreateTokenWithCliAsync("root", "bootstrap");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Sends a call as root and returns its WHM API 1 envelope, asserting HTTP 200, the command and result 1.</summary>
    private async Task<JsonElement> RootCallAsync(HttpMethod method, string function, string query, params (string Name, string Value)[] form)
    {
        using var response = await _host.SendAsync(method, $"/json-api/{function}?{query}", "root", _root, form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {function}: {(int)response.StatusCode} {body}");
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement.Clone();
        var metadata = root.GetProperty("metadata");
        Assert.Equal(function, metadata.GetProperty("command").GetString());
        Assert.Equal(1, metadata.GetProperty("version").GetInt32());
        Assert.True(metadata.GetProperty("result").GetInt32() == 1, body);
        return root;
    }

    private static JsonElement Data(JsonElement envelope) => envelope.GetProperty("data");

    [Fact]
    public async Task Version_AnswersPost_ReadingTheFormBody()
    {
        var version = await RootCallAsync(HttpMethod.Post, "version", "", ("api.version", "1"));
        Assert.False(string.IsNullOrEmpty(Data(version).GetProperty("version").GetString()));

        // The form body is read on POST: an unsupported api.version sent there is refused in the envelope.
        using var response = await _host.SendAsync(HttpMethod.Post, "/json-api/version", "root", _root, ("api.version", "2"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(0, doc.RootElement.GetProperty("metadata").GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task Listaccts_AnswersPost()
    {
        var list = await RootCallAsync(HttpMethod.Post, "listaccts", "api.version=1");
        var users = Data(list).GetProperty("acct").EnumerateArray().Select(a => a.GetProperty("user").GetString()).ToList();
        Assert.Contains("reseller", users);
    }

    [Fact]
    public async Task Createacct_AnswersGet_AndTheAccountIsListed()
    {
        var created = await RootCallAsync(HttpMethod.Get, "createacct", "api.version=1&username=alice&domain=alice.example.com");
        Assert.Equal("alice", Data(created).GetProperty("user").GetString());
        Assert.Equal("root", Data(created).GetProperty("owner").GetString());

        var list = await RootCallAsync(HttpMethod.Get, "listaccts", "api.version=1");
        Assert.Contains(Data(list).GetProperty("acct").EnumerateArray(), a => a.GetProperty("user").GetString() == "alice");
    }

    [Fact]
    public async Task SuspendacctAndUnsuspendacct_AnswerGet()
    {
        await RootCallAsync(HttpMethod.Post, "createacct", "api.version=1", ("username", "alice"), ("domain", "alice.example.com"));

        var suspended = await RootCallAsync(HttpMethod.Get, "suspendacct", "api.version=1&user=alice");
        Assert.Equal(1, Data(suspended).GetProperty("suspended").GetInt32());

        var unsuspended = await RootCallAsync(HttpMethod.Get, "unsuspendacct", "api.version=1&user=alice");
        Assert.Equal(0, Data(unsuspended).GetProperty("suspended").GetInt32());
    }

    [Fact]
    public async Task Modifyacct_AnswersGet()
    {
        await RootCallAsync(HttpMethod.Post, "createacct", "api.version=1", ("username", "alice"), ("domain", "alice.example.com"));

        var modified = await RootCallAsync(HttpMethod.Get, "modifyacct", "api.version=1&user=alice&newuser=bob");
        Assert.Equal("bob", Data(modified).GetProperty("user").GetString());
        Assert.Equal("alice", Data(modified).GetProperty("olduser").GetString());
    }

    [Fact]
    public async Task Removeacct_AnswersGet_AndTheAccountIsGone()
    {
        await RootCallAsync(HttpMethod.Post, "createacct", "api.version=1", ("username", "alice"), ("domain", "alice.example.com"));

        var removed = await RootCallAsync(HttpMethod.Get, "removeacct", "api.version=1&user=alice");
        Assert.Equal("alice", Data(removed).GetProperty("user").GetString());

        var list = await RootCallAsync(HttpMethod.Get, "listaccts", "api.version=1");
        Assert.DoesNotContain(Data(list).GetProperty("acct").EnumerateArray(), a => a.GetProperty("user").GetString() == "alice");
    }

    [Fact]
    public async Task Setacls_AnswersGet()
    {
        var set = await RootCallAsync(HttpMethod.Get, "setacls", "api.version=1&reseller=reseller&acl-basic-whm-functions=1&acl-list-accts=1");
        Assert.Equal("reseller", Data(set).GetProperty("reseller").GetString());
    }

    [Theory]
    [InlineData("version")]
    [InlineData("listaccts")]
    [InlineData("createacct")]
    [InlineData("suspendacct")]
    [InlineData("unsuspendacct")]
    [InlineData("modifyacct")]
    [InlineData("removeacct")]
    [InlineData("setacls")]
    public async Task EveryFunction_KeepsItsPrivilegeOnBothMethods(string function)
    {
        // A token holding only manage-api-tokens lacks every account function's privilege: 403 on GET and POST, never 405.
        var limited = await _host.CreateTokenWithCliAsync("reseller", "limited", "manage-api-tokens");
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
        {
            using var response = await _host.SendAsync(method, $"/json-api/{function}?api.version=1&user=reseller", "reseller", limited);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {function}: {(int)response.StatusCode}");
        }
    }
}
