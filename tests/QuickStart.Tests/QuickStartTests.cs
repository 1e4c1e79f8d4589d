using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace QuickStart.Tests;

/// <summary>
/// The README's Quick start is samples/QuickStart/Program.cs, and it does what the README says: a first token from
/// <c>tokens create</c>, then 401 without a token, 200 with one holding <c>list-accts</c>, 403 with one lacking it.
/// </summary>
public sealed partial class QuickStartTests : IDisposable
{
    private const string Marker = "<!-- quickstart: samples/QuickStart/Program.cs -->";

    private readonly string _directory = Directory.CreateTempSubdirectory("apitokens-quickstart-").FullName;

    [Fact]
    public void ReadmeQuickStart_IsTheSamplesProgramCs()
    {
        var readme = File.ReadAllText(Path.Combine(QuickStartApp.RepositoryRoot, "README.md")).ReplaceLineEndings("\n");
        var program = File.ReadAllText(Path.Combine(QuickStartApp.RepositoryRoot, "samples", "QuickStart", "Program.cs")).ReplaceLineEndings("\n");

        var marker = readme.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(marker >= 0, $"README.md has no {Marker} line before the Quick start's code block.");
        var block = CodeBlock().Match(readme, marker);
        Assert.True(block.Success && block.Index == marker, "The marker is not followed by a ```csharp code block.");

        Assert.Equal(program.TrimEnd('\n'), block.Groups["code"].Value.TrimEnd('\n'));
    }

    [Fact]
    public async Task QuickStart_FirstTokenFromTheCommandLine_Then401_200_403_AsTheReadmeSays()
    {
        var bootstrap = await CreateTokenAsync("tokens", "create", "--user", "root", "--name", "bootstrap");
        var lacking = await CreateTokenAsync("tokens", "create", "--user", "root", "--name", "no-list", "--acl", "create-acct");

        await using var app = await QuickStartApp.StartAsync(_directory);
        using var client = new HttpClient { BaseAddress = app.Address };

        using (var anonymous = await client.GetAsync(new Uri("json-api/listaccts", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var allowed = await SendAsync(client, "root", bootstrap))
        {
            Assert.True(allowed.StatusCode == HttpStatusCode.OK, $"{(int)allowed.StatusCode} {allowed.Headers.WwwAuthenticate}\n{app.Output}");
            var users = JsonSerializer.Deserialize<string[]>(await allowed.Content.ReadAsStringAsync());
            Assert.Equal(["root", "reseller"], users ?? []);
        }

        using (var forbidden = await SendAsync(client, "root", lacking))
        {
            Assert.True(forbidden.StatusCode == HttpStatusCode.Forbidden, $"{(int)forbidden.StatusCode} {forbidden.Headers.WwwAuthenticate}\n{app.Output}");
            Assert.Contains("list-accts", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TokensCreate_PrintsTheTokenAloneOnTheLastLine()
    {
        var (exitCode, stdout, stderr) = await QuickStartApp.RunCommandAsync(_directory, "tokens", "create", "--user", "root", "--name", "bootstrap");

        Assert.True(exitCode == 0, $"exit code {exitCode}; stderr: {stderr}");
        Assert.Matches("^[0-9A-Z]{32}$", LastLine(stdout));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by an exiting process: the temporary folder is cleaned up later.
        }
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string user, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri("json-api/listaccts", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("whm", $"{user}:{token}");
        return client.SendAsync(request);
    }

    private async Task<string> CreateTokenAsync(params string[] args)
    {
        var (exitCode, stdout, stderr) = await QuickStartApp.RunCommandAsync(_directory, args);
        Assert.True(exitCode == 0, $"`{string.Join(' ', args)}` exited with {exitCode}; stderr: {stderr}");
        return LastLine(stdout);
    }

    private static string LastLine(string output) =>
        output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n')[^1];

    [GeneratedRegex("<!-- quickstart: samples/QuickStart/Program.cs -->\n```csharp\n(?<code>.*?)\n```\n", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
