using System.Net;
using System.Text.Json;

namespace WhmAdmin.Tests;

/// <summary>
/// Migrating from WHM end to end through the sample's own CLI: <c>WhmAdmin tokens import-whm root.json</c> (its own process's
/// host over the same SQLite file), then real requests on Kestrel with the old cPanel tokens; and
/// <c>tokens convert-accesshash</c>, then <c>Authorization: WHM root:&lt;access hash&gt;</c>.
/// </summary>
public sealed class ImportWhmTests
{
    [Fact]
    public async Task ImportWhm_ThenTheOldTokensAuthenticateOnTheRestartedServer_AndListAsBefore()
    {
        await using var host = await SampleHost.StartAsync();
        var file = new CpanelTokenFile()
            .Add("cpanel-deploy", createTime: 1_700_000_000)
            .Add("cpanel-monitor", acls: ["list-accts"], whitelist: ["127.0.0.1"]);

        // Relative: an absolute path (/tmp/…) right before the --Key=value settings would be read by the host's command-line
        // configuration as a "/key" switch that swallows the next setting.
        var path = Path.GetRelativePath(Environment.CurrentDirectory, file.WriteTo("root.json"));

        var (code, stdout, stderr) = await host.CliAsync("tokens", "import-whm", path);

        Assert.True(code == 0, stderr);
        Assert.Contains("Imported 2 API tokens for root: cpanel-deploy, cpanel-monitor.", stdout, StringComparison.Ordinal);
        Assert.Contains("Note: a running server finds these tokens within 1 minute (ApiTokens:LegacyTokenRefreshInterval) or when it restarts", stderr, StringComparison.Ordinal);

        await host.StopAppAsync();
        await host.StartAppAsync();
        using (var version = await host.SendAsync(HttpMethod.Get, "/json-api/version?api.version=1", "root", file["cpanel-deploy"]))
        {
            Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        }

        using (var listaccts = await host.SendAsync(HttpMethod.Get, "/json-api/listaccts?api.version=1", "root", file["cpanel-monitor"]))
        {
            Assert.Equal(HttpStatusCode.OK, listaccts.StatusCode);
        }

        var list = await host.CallAsync("api_token_list", "root", file["cpanel-deploy"]);
        var tokens = list.GetProperty("data").GetProperty("tokens");
        Assert.Equal(1_700_000_000, tokens.GetProperty("cpanel-deploy").GetProperty("create_time").GetInt64());
        Assert.Equal(1, tokens.GetProperty("cpanel-deploy").GetProperty("has_full_access").GetInt32());
        Assert.Equal(0, tokens.GetProperty("cpanel-monitor").GetProperty("has_full_access").GetInt32());
        Assert.Equal(1, tokens.GetProperty("cpanel-monitor").GetProperty("acls").GetProperty("list-accts").GetInt32());

        // Both were used once: neither SHA-512 is anywhere in the database file now.
        await host.StopAppAsync();
        var database = await File.ReadAllTextAsync(host.DatabaseFile, System.Text.Encoding.Latin1);
        Assert.DoesNotContain(CpanelTokenFile.Sha512Hex(file["cpanel-deploy"])[..30], database, StringComparison.Ordinal);
        Assert.DoesNotContain(CpanelTokenFile.Sha512Hex(file["cpanel-monitor"])[..30], database, StringComparison.Ordinal);
        Assert.DoesNotContain("$sha512$", database, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConvertAccessHash_ThenWhmRootWithTheAccessHash_Answers200()
    {
        await using var host = await SampleHost.StartAsync();
        var lines = Enumerable.Range(0, 30).Select(_ => System.Security.Cryptography.RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 32));
        var accessHash = string.Join('\n', lines) + '\n';
        var path = Path.Combine(Path.GetTempPath(), "whmadmin-accesshash-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(path, accessHash);

        var (code, stdout, stderr) = await host.CliAsync("tokens", "convert-accesshash", "--user", "root", "--file", path);

        Assert.True(code == 0, stderr);
        Assert.Contains("Created API token “accesshash-", stdout, StringComparison.Ordinal);
        await host.StopAppAsync();
        await host.StartAppAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/json-api/version?api.version=1");
        request.Headers.TryAddWithoutValidation("Authorization", "WHM root:" + accessHash.Replace("\n", string.Empty, StringComparison.Ordinal));
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, body.RootElement.GetProperty("metadata").GetProperty("result").GetInt32());
    }
}
