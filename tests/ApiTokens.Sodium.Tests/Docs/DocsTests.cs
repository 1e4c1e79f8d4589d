using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Sodium.Tests.Docs;

/// <summary>docs/hashing.md shows code that compiles and does what the page says.</summary>
public sealed partial class DocsTests
{
    private const string Marker = "<!-- snippet: tests/ApiTokens.Sodium.Tests/Docs/HashingDocSnippet.cs -->";

    [Fact]
    public void HashingDoc_HowToChoose_IsTheCompiledSnippet()
    {
        var root = RepositoryRoot();
        var doc = File.ReadAllText(Path.Combine(root, "docs", "hashing.md")).ReplaceLineEndings("\n");
        var source = File.ReadAllText(Path.Combine(root, "tests", "ApiTokens.Sodium.Tests", "Docs", "HashingDocSnippet.cs")).ReplaceLineEndings("\n");

        var region = Region().Match(source);
        Assert.True(region.Success, "HashingDocSnippet.cs has no '#region docs/hashing.md'.");
        var lines = region.Groups["code"].Value.TrimEnd('\n', ' ').Split('\n');
        var indent = lines.Where(l => l.Length > 0).Min(l => l.Length - l.TrimStart().Length);
        var expected = string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));

        var marker = doc.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(marker >= 0, $"docs/hashing.md has no {Marker} line before its code block.");
        var block = CodeBlock().Match(doc, marker);
        Assert.True(block.Success && block.Index == marker, "The marker is not followed by a ```csharp code block.");
        Assert.Equal(expected, block.Groups["code"].Value.TrimEnd('\n'));
    }

    [Fact]
    public async Task HashingDoc_Snippet_BuildsAnAppThatHashesWithLibsodium_AtTheConfiguredParameters()
    {
        await using var app = HashingDocSnippet.Build(["--urls", "http://127.0.0.1:0", "--ApiTokens:Hashing:MemoryCost=64", "--ApiTokens:Hashing:TimeCost=1"]);
        await app.StartAsync();

        var hasher = app.Services.GetRequiredService<IApiTokenHasher>();
        Assert.IsType<SodiumArgon2ApiTokenHasher>(hasher);
        Assert.StartsWith("$argon2id$v=19$m=64,t=1,p=1$", hasher.Hash("SECRET"), StringComparison.Ordinal);
        await app.StopAsync();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ApiTokens.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ApiTokens.sln not found above the test output.");
    }

    [GeneratedRegex(@"#region docs/hashing\.md\n(?<code>.*?)\n[ ]*#endregion", RegexOptions.Singleline)]
    private static partial Regex Region();

    [GeneratedRegex(@"\G<!--[^\n]*-->\n```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
