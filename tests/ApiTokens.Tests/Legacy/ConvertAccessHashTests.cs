using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ApiTokens.Tests.Legacy;

/// <summary>
/// <c>tokens convert-accesshash</c>: a WHM Remote Access Key (hundreds of characters, in lines) becomes a full-access token named
/// <c>accesshash-&lt;epoch&gt;</c>, so scripts that send <c>Authorization: WHM user:&lt;access hash&gt;</c> keep working.
/// </summary>
public sealed class ConvertAccessHashTests
{
    /// <summary>An access hash as WHM writes /root/.accesshash: 30 lines of 32 lower-case letters and digits.</summary>
    internal static string NewAccessHash()
    {
        var text = new StringBuilder();
        for (var line = 0; line < 30; line++)
        {
            text.Append(RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 32)).Append('\n');
        }

        return text.ToString();
    }

    [Fact]
    public async Task ConvertedAccessHash_FromStandardInput_AuthenticatesWhmRootWithTheHashInAnyCase()
    {
        await using var host = await LegacyHost.StartAsync();
        var accessHash = NewAccessHash();
        var joined = accessHash.Replace("\n", string.Empty, StringComparison.Ordinal);
        Assert.True(joined.Length >= 900);

        var (code, stdout, stderr) = await host.CliAsync("\r\n" + accessHash + "  \n", "tokens", "convert-accesshash", "--user", "root");

        Assert.True(code == 0, stderr);
        var name = "accesshash-" + ApiTokensTestHostBuilder.DefaultStart.ToUnixTimeSeconds();
        Assert.Contains($"Created API token “{name}” for root (full access) from the access hash.", stdout, StringComparison.Ordinal);
        foreach (var scheme in new[] { "WHM", "whm", "Whm" })
        {
            using var response = await host.GetAsync("/whoami", $"{scheme} root:{joined}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(name, (string?)body["token"]);
        }

        using (var kill = await host.GetAsync("/json-api/killacct", $"WHM root:{joined}"))
        {
            Assert.Equal(HttpStatusCode.OK, kill.StatusCode); // full access
        }

        var row = Assert.Single(await host.RowsAsync(host.Root.Id));
        Assert.Null(row.Acls);
        Assert.StartsWith("$argon2id$", row.SecretHash, StringComparison.Ordinal);
        var stored = JsonSerializer.Serialize(row);
        Assert.DoesNotContain(joined[..32], stored, StringComparison.Ordinal);
        Assert.DoesNotContain(joined[..32], host.Host.Log.AllText, StringComparison.Ordinal);

        // A wrong access hash of the same length is refused like any unknown token.
        var wrong = NewAccessHash().Replace("\n", string.Empty, StringComparison.Ordinal);
        var unknown = await ImportWhmHttpTests.ObserveAsync(host, "whm root:" + CpanelTokenFile.NewToken());
        Assert.Equal(unknown, await ImportWhmHttpTests.ObserveAsync(host, "WHM root:" + wrong));
    }

    [Fact]
    public async Task ConvertedAccessHash_FromAFile_AndTwiceOrEmpty_IsRefused()
    {
        await using var host = await LegacyHost.StartAsync();
        var path = Path.Combine(Path.GetTempPath(), "apitokens-accesshash-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(path, NewAccessHash());

        var first = await host.CliAsync(null, "tokens", "convert-accesshash", "--user", "root", "--file", path);
        host.Host.Time.Advance(TimeSpan.FromSeconds(5));
        var again = await host.CliAsync(null, "tokens", "convert-accesshash", "--user", "root", "--file", path);
        var empty = await host.CliAsync(" \n\t\n", "tokens", "convert-accesshash", "--user", "root");
        var noUser = await host.CliAsync("x", "tokens", "convert-accesshash");

        Assert.True(first.ExitCode == 0, first.StdErr);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal("This access hash is already an API token of the account. Nothing was stored.", again.StdErr.Trim());
        Assert.Equal(1, empty.ExitCode);
        Assert.StartsWith("The access hash is empty or not valid", empty.StdErr.Trim(), StringComparison.Ordinal);
        Assert.Equal(2, noUser.ExitCode);
        Assert.Single(await host.RowsAsync(host.Root.Id));
    }

    [Fact]
    public async Task TwoAccessHashesConvertedInOneSecond_AreNamedWithASuffix_UpToTen()
    {
        await using var host = await LegacyHost.StartAsync();
        var epoch = ApiTokensTestHostBuilder.DefaultStart.ToUnixTimeSeconds();

        var results = new List<(int? ExitCode, string StdOut, string StdErr)>();
        for (var i = 0; i < 11; i++)
        {
            results.Add(await host.CliAsync(NewAccessHash(), "tokens", "convert-accesshash", "--user", "root"));
        }

        Assert.All(results.Take(10), r => Assert.True(r.ExitCode == 0, r.StdErr));
        Assert.Contains($"Created API token “accesshash-{epoch}” for root", results[0].StdOut, StringComparison.Ordinal);
        Assert.Contains($"Created API token “accesshash-{epoch}-2” for root", results[1].StdOut, StringComparison.Ordinal);
        Assert.Contains($"Created API token “accesshash-{epoch}-10” for root", results[9].StdOut, StringComparison.Ordinal);
        Assert.Equal(1, results[10].ExitCode);
        Assert.Contains($"accesshash-{epoch}-10", results[10].StdErr, StringComparison.Ordinal);
        Assert.Equal(10, (await host.RowsAsync(host.Root.Id)).Count);
    }

    [Fact]
    public async Task MoreThan64KBOnStandardInputOrInTheFile_IsRefused_AndStoresNothing()
    {
        await using var host = await LegacyHost.StartAsync();
        var huge = new string(' ', 64 * 1024) + "x";
        var path = Path.Combine(Path.GetTempPath(), "apitokens-accesshash-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(path, huge);

        var piped = await host.CliAsync(huge, "tokens", "convert-accesshash", "--user", "root");
        var file = await host.CliAsync(null, "tokens", "convert-accesshash", "--user", "root", "--file", path);

        foreach (var (code, _, stderr) in new[] { piped, file })
        {
            Assert.Equal(1, code);
            Assert.Equal("The access hash is longer than 64 KB, which no Remote Access Key is. Nothing was stored.", stderr.Trim());
        }

        Assert.Empty(await host.RowsAsync(host.Root.Id));
    }

    [Fact]
    public async Task AnAccessHashPastedAsAStrayArgument_IsEchoedAsEightCharactersAndItsLength()
    {
        await using var host = await LegacyHost.StartAsync();
        var joined = NewAccessHash().Replace("\n", string.Empty, StringComparison.Ordinal);

        var (code, _, stderr) = await host.CliAsync(null, "tokens", "convert-accesshash", "--user", "root", joined);

        Assert.Equal(2, code);
        Assert.Contains($"Unrecognized argument “{joined[..8]}… ({joined.Length} characters)”.", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(joined[..9], stderr, StringComparison.Ordinal);
        Assert.Empty(await host.RowsAsync(host.Root.Id));
    }
}
