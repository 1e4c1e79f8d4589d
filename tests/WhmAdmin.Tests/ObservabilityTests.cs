using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;

namespace WhmAdmin.Tests;

/// <summary>
/// The sample's operator endpoints on the real app (Kestrel on 127.0.0.1, its SQLite file): <c>/healthz</c> answers each
/// check as JSON (200 while healthy, 503 with the store gone, never a path or an error's text), <c>/metrics</c> answers
/// Prometheus text with the library's and ASP.NET Core's meters to a local scraper only, and no metric names a user or a token.
/// </summary>
public sealed class ObservabilityTests : IAsyncLifetime
{
    private const string TokenName = "observability-probe-token";
    private SampleHost _host = null!;
    private string _root = null!;

    public async Task InitializeAsync()
    {
        _host = await SampleHost.StartAsync();
        _root = await _host.CreateTokenWithCliAsync("root", TokenName);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Healthz_IsAnonymousJson_WithEachCheck_Healthy_And200()
    {
        using var response = await _host.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var checks = json.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal("Healthy", checks["apitokens.store"]);
        Assert.Equal("Healthy", checks["apitokens.hashing"]);
        Assert.Equal("Healthy", checks["apitokens.backplane"]);
        Assert.DoesNotContain("whmadmin.db", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Data Source", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_WithTheTokenTableGone_Answers503_StoreUnhealthy_WithoutTheErrorsText_And200WhenItIsBack()
    {
        await RenameTableAsync("api_tokens", "api_tokens_gone");
        try
        {
            using var response = await _host.Client.GetAsync("/healthz");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            using var json = JsonDocument.Parse(body);
            Assert.Equal("Unhealthy", json.RootElement.GetProperty("status").GetString());
            var store = json.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "apitokens.store");
            Assert.Equal("Unhealthy", store.GetProperty("status").GetString());
            Assert.DoesNotContain("no such table", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(_host.DatabaseFile, body, StringComparison.Ordinal);
        }
        finally
        {
            await RenameTableAsync("api_tokens_gone", "api_tokens");
        }

        using var back = await _host.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    [Fact]
    public async Task Livez_IsAnonymousOk_AndTouchesNothing()
    {
        using var response = await _host.Client.GetAsync("/livez");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_FromThisMachine_IsPrometheusText_WithTheApiTokensMeter_AndAspNetCores_AndNoUserOrToken()
    {
        using (var ok = await _host.SendAsync(HttpMethod.Get, "/json-api/version?api.version=1", "root", _root))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var wrong = await _host.SendAsync(HttpMethod.Get, "/json-api/version?api.version=1", "root", _root[..^1] + (_root[^1] == 'A' ? 'B' : 'A')))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode); // a WHM route refuses a bad token with WHM's 403
        }

        using var response = await _host.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Matches("apitokens_authentication_attempts_total\\{[^}]*apitokens_authentication_result=\"success\"[^}]*\\} [1-9]", text);
        Assert.Matches("apitokens_authentication_attempts_total\\{[^}]*apitokens_authentication_failure_reason=\"wrong_secret\"", text);
        Assert.Contains("apitokens_hashing_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("apitokens_cache_entries", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.DoesNotContain(_root, text, StringComparison.Ordinal);
        Assert.DoesNotContain(_root[^12..], text, StringComparison.Ordinal);
        Assert.DoesNotContain(TokenName, text, StringComparison.Ordinal);
        foreach (var line in text.Split('\n').Where(l => l.StartsWith("apitokens_", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain("root", line, StringComparison.Ordinal);
            Assert.DoesNotContain("127.0.0.1", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Metrics_ForwardedByAProxy_IsNotFound()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");

        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("192.0.2.10", false)]
    [InlineData("2001:db8::1", false)]
    public void Metrics_IsAnsweredOnlyToALoopbackPeer(string peer, bool local)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);

        Assert.Equal(local, Observability.IsLocalScrape(context));
    }

    private async Task RenameTableAsync(string from, string to)
    {
        await using var connection = new SqliteConnection($"Data Source={_host.DatabaseFile}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"ALTER TABLE \"{from}\" RENAME TO \"{to}\"";
        await command.ExecuteNonQueryAsync();
        SqliteConnection.ClearAllPools();
    }
}
