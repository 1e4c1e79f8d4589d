using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MyApp;
using MyScanner;

namespace ApiTokens.Tests.Leaks;

/// <summary>
/// docs/leaked-tokens.md says what the server does: its captured exchange is what a test host answers, its regular expressions
/// match generated tokens, and its two code samples are files of this project (so they compile) that work as it says.
/// </summary>
public sealed partial class LeakDocsTests
{
    private const string Prefix = "acme_";

    private static readonly Lazy<string> Docs = new(() =>
        File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "leaked-tokens.md")).ReplaceLineEndings("\n"));

    public static TheoryData<string, string, bool> Patterns => new()
    {
        { @"\b[0-9A-Z]{32}\b", "", false },
        { @"\bacme_[0-9A-Z]{32}\b", Prefix, false },
        { @"\bacme_[0-9A-Z]{38}\b", Prefix, true },
    };

    [Theory]
    [InlineData("tests/ApiTokens.Tests/Leaks/LeakHandlerSnippet.cs")]
    [InlineData("tests/ApiTokens.Tests/Leaks/ScannerChecksumSnippet.cs")]
    public void CodeSampleInTheDocs_IsThisProjectsFile(string path)
    {
        var file = File.ReadAllText(Path.Combine(RepositoryRoot(), path)).ReplaceLineEndings("\n");

        Assert.Equal(file.TrimEnd('\n'), BlockAfter($"<!-- snippet: {path} -->"));
    }

    [Fact]
    public async Task CapturedReport_GetsTheCapturedAnswer_AlsoWhenItsFirstValueIsLive()
    {
        await using var host = await LeakHost.StartAsync(options: o =>
        {
            o.Format.Prefix = Prefix;
            o.Format.Checksum = true;
        });
        var request = BlockAfter("<!-- captured: request -->");
        var expected = Parse(BlockAfter("<!-- captured: answer -->"));

        Assert.Equal(expected, Parse(await SendAsync(host, request)));

        // The same request with a live token of this host in place of the first value (same length, same Content-Length).
        var root = host.Host.Accounts.Add("root", "all");
        var live = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        var first = JsonSerializer.Deserialize<string[]>(request[(request.IndexOf("\n\n", StringComparison.Ordinal) + 2)..])![0];
        Assert.Equal(first.Length, live.PlaintextToken.Length);

        Assert.Equal(expected, Parse(await SendAsync(host, request.Replace(first, live.PlaintextToken, StringComparison.Ordinal))));
        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("root", live.PlaintextToken));
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void PatternInTheDocs_MatchesEveryGeneratedTokenOfItsFormat_AndNothingLonger(string pattern, string prefix, bool checksum)
    {
        Assert.Contains($"| `{pattern}` |", BlockAfter("<!-- token-patterns -->", fenced: false), StringComparison.Ordinal);
        var regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var format = new ApiTokenFormat(new ApiTokenFormatOptions { Prefix = prefix, Checksum = checksum });

        for (var i = 0; i < 200; i++)
        {
            var token = format.Generate().Value;
            foreach (var text in new[] { $"TOKEN={token}\n", $$"""{"token":"{{token}}"}""", $"Authorization: whm root:{token}", token })
            {
                Assert.Equal(token, Assert.Single(regex.Matches(text)).Value);
            }

            Assert.Empty(regex.Matches(token + "A"));
        }
    }

    [Fact]
    public void ScannerChecksumInTheDocs_AcceptsGeneratedTokens_AndRefusesAlteredOnes()
    {
        var format = new ApiTokenFormat(new ApiTokenFormatOptions { Prefix = Prefix, Checksum = true });
        for (var i = 0; i < 200; i++)
        {
            var token = format.Generate().Value;
            var position = Prefix.Length + (i % 38);
            var altered = string.Concat(token.AsSpan(0, position), token[position] == 'Z' ? "0" : "Z", token.AsSpan(position + 1));

            Assert.True(ApiTokenChecksum.IsValid(token, Prefix), token);
            Assert.False(ApiTokenChecksum.IsValid(altered, Prefix), altered);
            Assert.False(ApiTokenChecksum.IsValid(token[..^1], Prefix));
        }
    }

    [Fact]
    public async Task LeakHandlerInTheDocs_IsToldOfTheRevocation_WhenRegisteredAsTheDocsSay()
    {
        Assert.Contains(".AddLeakHandler<WarnOwnerOfLeak>()", Docs.Value, StringComparison.Ordinal);
        Assert.Contains("app.MapLeakedTokenRevocation(\"/api-tokens/leaked\");", Docs.Value, StringComparison.Ordinal);
        await using var host = await new ApiTokensTestHostBuilder()
            .ConfigureApiTokens(b => b.AddLeakHandler<WarnOwnerOfLeak>())
            .ConfigureApp(app => app.MapLeakedTokenRevocation("/api-tokens/leaked"))
            .StartAsync();
        var root = host.Accounts.Add("root", "all");
        var token = await host.CreateTokenAsync(root, "deploy");

        using var content = new StringContent(JsonSerializer.Serialize(new[] { token.PlaintextToken }), Encoding.UTF8, "application/json");
        using var response = await host.Client.PostAsync(new Uri("/api-tokens/leaked", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains(host.Log.Lines, l => l.Message == "API token deploy of root was reported as leaked from 127.0.0.1: it was revoked");
    }

    /// <summary>The body of the first code block (```…) after <paramref name="marker"/>, or the lines up to the next blank line.</summary>
    private static string BlockAfter(string marker, bool fenced = true)
    {
        var docs = Docs.Value;
        var at = docs.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"docs/leaked-tokens.md has no {marker} line.");
        if (!fenced)
        {
            var start = at + marker.Length + 1;
            var end = docs.IndexOf("\n\n", start, StringComparison.Ordinal);
            return docs[start..end];
        }

        var block = CodeBlock().Match(docs, at);
        Assert.True(block.Success && block.Index == at, $"{marker} is not followed by a code block.");
        return block.Groups["code"].Value.TrimEnd('\n');
    }

    /// <summary>Sends a documented request (LF line ends, as in the docs) byte for byte, with CRLF line ends in its head.</summary>
    private static async Task<string> SendAsync(LeakHost host, string documented)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = await RawHttp.ConnectAsync(host.Host, timeout.Token);
        var split = documented.IndexOf("\n\n", StringComparison.Ordinal);
        var raw = documented[..split].Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n\r\n" + documented[(split + 2)..];
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(raw), timeout.Token);
        return (await RawHttp.ReadAnswerAsync(stream, timeout.Token)).ReplaceLineEndings("\n");
    }

    /// <summary>An answer as status line, headers but Date (sorted) and body.</summary>
    private static string Parse(string answer)
    {
        var split = answer.IndexOf("\n\n", StringComparison.Ordinal);
        var head = answer[..split].Split('\n');
        var headers = head[1..].Where(h => !h.StartsWith("Date:", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal);
        return string.Join("\n", [head[0], .. headers, "", answer[(split + 2)..].TrimEnd('\n')]);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ApiTokens.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ApiTokens.sln was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("<!--[^\n]*-->\n```[a-z]*\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
