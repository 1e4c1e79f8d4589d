using System.Net;
using System.Text;
using System.Text.Json;

namespace WhmAdmin.Tests;

/// <summary>
/// The token lifecycle as the sample wires it, on its SQLite store: a rotation through WHM's transport, the leak endpoint at
/// <c>/api-tokens/leaked</c>, and the audit trail in <c>api_token_audit</c> read back with <c>tokens audit</c>.
/// </summary>
public sealed class LifecycleTests : IAsyncLifetime
{
    private SampleHost _host = null!;
    private string _root = null!;

    public async Task InitializeAsync()
    {
        _host = await SampleHost.StartAsync();
        _root = await _host.CreateTokenWithCliAsync("root", "bootstrap");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ARotatedToken_WorksWithItsNewValue_AndTheAuditTrailSaysWhoRotatedIt()
    {
        var deploy = await _host.CreateTokenWithCliAsync("root", "deploy", "list-accts");

        var rotated = await _host.CallAsync("api_token_rotate", "root", _root, ("api.version", "1"), ("token_name", "deploy"));

        Assert.Equal(1, rotated.GetProperty("metadata").GetProperty("result").GetInt32());
        var fresh = rotated.GetProperty("data").GetProperty("token").GetString()!;
        using (var ok = await _host.SendAsync(HttpMethod.Get, "/json-api/listaccts?api.version=1", "root", fresh))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        await _host.AssertRefusedAsync("root", deploy);
        var (exit, stdout, stderr) = await _host.CliAsync("tokens", "audit", "--json", "--user", "root");
        Assert.True(exit == 0, stderr);
        using var audit = JsonDocument.Parse(stdout);
        var newest = audit.RootElement.GetProperty("events")[0];
        Assert.Equal("deploy", newest.GetProperty("token_name").GetString());
        Assert.Contains("rotat", newest.GetProperty("action").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(fresh, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALeakedToken_PostedToTheLeakEndpointWithoutCredentials_IsRevoked_AndTheAnswerSaysOnlyHowManyWereReceived()
    {
        var leaked = await _host.CreateTokenWithCliAsync("root", "leaked", "list-accts");
        using var content = new StringContent(JsonSerializer.Serialize(new[] { leaked, "NOT-A-TOKEN" }), Encoding.UTF8, "application/json");

        using var response = await _host.Client.PostAsync("/api-tokens/leaked", content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("""{"received":2}""", await response.Content.ReadAsStringAsync());
        await _host.AssertRefusedAsync("root", leaked);
        using var still = await _host.SendAsync(HttpMethod.Get, "/json-api/version", "root", _root);
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }
}
