using Microsoft.Extensions.Logging;
using System.Net;

namespace WhmAdmin.Tests;

/// <summary>What an operator sees in the log from the database side: no EF warnings at start, no error for a user's duplicate.</summary>
public sealed class DatabaseLogTests : IAsyncLifetime
{
    private SampleHost _host = null!;

    public async Task InitializeAsync() => _host = await SampleHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task StartCreateAndVerify_LogNoEntityFrameworkWarningOrError()
    {
        var token = await _host.CreateTokenWithCliAsync("root", "bootstrap");
        using (var response = await _host.SendAsync(HttpMethod.Get, "/json-api/version", "root", token))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var listed = await _host.CallAsync("api_token_list", "root", token);
        Assert.Equal(1, listed.GetProperty("metadata").GetProperty("result").GetInt32());

        // A restart against the existing database (the table probe finds the table).
        await _host.StopAppAsync();
        await _host.StartAppAsync();

        Assert.Empty(EntityFrameworkLines(LogLevel.Warning, LogLevel.Error));
    }

    [Fact]
    public async Task DuplicateName_FromTheApiAndTheCli_IsRefusedWithoutAnErrorInTheLog()
    {
        var token = await _host.CreateTokenWithCliAsync("root", "bootstrap");
        var first = await _host.CallAsync("api_token_create", "root", token, ("token_name", "deploy"));
        Assert.Equal(1, first.GetProperty("metadata").GetProperty("result").GetInt32());
        await _host.CallAsync("api_token_create", "root", token, ("token_name", "other"));

        var again = await _host.CallAsync("api_token_create", "root", token, ("token_name", "deploy"));
        var renamed = await _host.CallAsync("api_token_update", "root", token, ("token_name", "other"), ("new_name", "deploy"));
        var (code, _, stderr) = await _host.CliAsync("tokens", "create", "--user", "root", "--name", "deploy");

        const string Refusal = "A conflicting API token with the name “deploy” already exists. Choose another name.";
        Assert.Equal(0, again.GetProperty("metadata").GetProperty("result").GetInt32());
        Assert.Equal(Refusal, again.GetProperty("metadata").GetProperty("reason").GetString());
        Assert.Equal(0, renamed.GetProperty("metadata").GetProperty("result").GetInt32());
        Assert.Equal(Refusal, renamed.GetProperty("metadata").GetProperty("reason").GetString());
        Assert.Equal(1, code);
        Assert.Contains(Refusal, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(_host.Log.Lines, l => l.Level >= LogLevel.Error);
        Assert.DoesNotContain("UNIQUE constraint failed", _host.Log.AllText, StringComparison.Ordinal);
    }

    private List<string> EntityFrameworkLines(params LogLevel[] levels) =>
        _host.Log.Lines
            .Where(l => l.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) && levels.Contains(l.Level))
            .Select(l => $"{l.Category}[{l.EventId}] {l.Level}: {l.Message}")
            .ToList();
}
