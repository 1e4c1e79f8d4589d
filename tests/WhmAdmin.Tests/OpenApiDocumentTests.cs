using System.Net;
using System.Text.Json;

namespace WhmAdmin.Tests;

/// <summary>The sample's OpenAPI document (<c>/openapi/v1.json</c>): the whm scheme, and each WHM function with its privilege.</summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private SampleHost _host = null!;

    public async Task InitializeAsync() => _host = await SampleHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Document_DeclaresTheWhmScheme_AndMarksEachFunctionWithItsPrivilege()
    {
        using var response = await _host.Client.GetAsync("/openapi/v1.json"); // anonymous: tools fetch it without a token
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;

        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("whm");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("Authorization", scheme.GetProperty("name").GetString());

        var paths = root.GetProperty("paths");
        Assert.Equal(["list-accts"], Privileges(paths.GetProperty("/json-api/listaccts").GetProperty("get")));
        Assert.Equal(["whm"], Schemes(paths.GetProperty("/json-api/listaccts").GetProperty("get")));
        Assert.Equal(["kill-acct"], Privileges(paths.GetProperty("/json-api/removeacct").GetProperty("post")));
        Assert.Equal(["manage-api-tokens"], Privileges(paths.GetProperty("/json-api/api_token_create").GetProperty("post")));
        Assert.False(paths.GetProperty("/healthz").GetProperty("get").TryGetProperty("security", out _));
    }

    private static string[] Privileges(JsonElement operation) =>
        [.. operation.GetProperty("x-whm-privileges").EnumerateArray().Select(p => p.GetString()!)];

    private static string[] Schemes(JsonElement operation) =>
        [.. operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name))];
}
