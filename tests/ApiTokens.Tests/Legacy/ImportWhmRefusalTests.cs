using System.Text.Json.Nodes;

namespace ApiTokens.Tests.Legacy;

/// <summary>A cPanel token file with one bad entry (or that is no such file) is refused in one sentence and stores nothing.</summary>
public sealed class ImportWhmRefusalTests
{
    public static TheoryData<string, string> BadFiles() => new()
    {
        { "bad-name", "Token “bad name”: The API token name “bad name” is not valid." },
        { "unknown-acl", "Token “b”: Invalid or unauthorized ACL(s) specified: no-such-privilege." },
        { "reseller-acl", "Token “b”: Invalid or unauthorized ACL(s) specified: kill-acct." },
        { "bad-ip", "Token “b”: “300.1.1.1” is not a valid IP address or CIDR range." },
        { "bad-key", "The key “not-a-ha… (10 characters)” is not the SHA-512 of a token (128 hex digits)" },
        { "short-key", "The key “aaaaaaaa… (127 characters)” is not the SHA-512 of a token (128 hex digits)" },
        { "not-json", "is not valid JSON (line 1, position" },
        { "no-tokens", "has no “tokens” object, so it is not a cPanel token file" },
        { "empty", "holds no tokens." },
        { "bad-acls", "“acls” is not a list of privilege names." },
        { "bad-expiry", "“expires_at” is not a Unix time in seconds, 0 or null." },
        { "no-name", "“name” is not a string." },
        { "no-acls", "Token “b” has no “acls” list, which cPanel always writes ([\"all\"] for full access)" },
        { "null-acls", "Token “b” has no “acls” list, which cPanel always writes ([\"all\"] for full access)" },
        { "repeated-field", "”, “acls” appears twice, so it cannot be read one way." },
        { "repeated-name", "The name “a” is used by two tokens of the file" },
        { "name-taken", "The account already has an API token named “existing”" },
        { "already-imported", "The token “again” is already stored for this account (imported before?)." },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task ImportWithOneBadEntry_IsRefusedInOneSentence_AndStoresNothing(string kind, string expected)
    {
        await using var host = await LegacyHost.StartAsync();
        var reseller = await host.Host.Accounts.FindByUserNameAsync("reseller", CancellationToken.None);
        await host.Host.CreateTokenAsync(reseller!, "existing", ["list-accts"]);
        var again = new CpanelTokenFile().Add("again", acls: ["list-accts"]);
        Assert.Equal(0, (await host.CliAsync(null, "tokens", "import-whm", again.WriteTo("reseller.json"))).ExitCode);
        var before = await host.RowsAsync(reseller!.Id);

        var path = Path.Combine(Path.GetTempPath(), "apitokens-cpanel-" + Guid.NewGuid().ToString("N"), "reseller.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, BadFile(kind, again));

        var (code, stdout, stderr) = await host.CliAsync(null, "tokens", "import-whm", path);

        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was imported.", stderr.Trim(), StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal(before.Select(t => t.Name), (await host.RowsAsync(reseller.Id)).Select(t => t.Name));
        var withoutPath = System.Text.RegularExpressions.Regex.Replace(stderr, "apitokens-cpanel-[0-9a-f]{32}", "dir");
        Assert.DoesNotMatch("[0-9a-f]{9}", withoutPath); // never more than 8 characters of a key (a digest selector is 30)
    }

    [Fact]
    public async Task AMissingFile_IsRefused_AndAMissingArgument_IsAUsageError()
    {
        await using var host = await LegacyHost.StartAsync();

        var missing = await host.CliAsync(null, "tokens", "import-whm", "/nonexistent/root.json");
        var usage = await host.CliAsync(null, "tokens", "import-whm");

        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("The file “/nonexistent/root.json” does not exist or cannot be read. Nothing was imported.", missing.StdErr.Trim());
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("Run 'tokens import-whm --help' for usage.", usage.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APipeThatGivesMoreThan16MB_IsRefused_ThoughItHasNoLength()
    {
        await using var host = await LegacyHost.StartAsync();
        var directory = Path.Combine(Path.GetTempPath(), "apitokens-cpanel-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "root.json");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        Assert.Equal(0, new FileInfo(path).Length);
        var writer = Task.Run(async () =>
        {
            try
            {
                await using var pipe = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 1);
                await pipe.WriteAsync(System.Text.Encoding.ASCII.GetBytes(new CpanelTokenFile().Add("a").ToJson()));
                var spaces = System.Text.Encoding.ASCII.GetBytes(new string(' ', 1024 * 1024));
                for (var i = 0; i < 17; i++)
                {
                    await pipe.WriteAsync(spaces);
                }
            }
            catch (IOException)
            {
                // The reader stopped at the cap and closed the pipe.
            }
        });

        var (code, stdout, stderr) = await host.CliAsync(null, "tokens", "import-whm", path);
        await writer;

        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stdout);
        Assert.EndsWith("is larger than 16 MB, which no cPanel token file is. Nothing was imported.", stderr.Trim(), StringComparison.Ordinal);
        Assert.Empty(await host.RowsAsync(host.Root.Id));
    }

    /// <summary>Two good entries around one bad one, so a partial import would show.</summary>
    private static string BadFile(string kind, CpanelTokenFile already)
    {
        var file = new CpanelTokenFile().Add("a", acls: ["list-accts"]);
        switch (kind)
        {
            case "bad-name": file.Add("bad name", acls: ["list-accts"]); break;
            case "unknown-acl": file.Add("b", acls: ["no-such-privilege"]); break;
            case "reseller-acl": file.Add("b", acls: ["kill-acct"]); break;
            case "bad-ip": file.Add("b", acls: ["list-accts"], whitelist: ["300.1.1.1"]); break;
            case "bad-key": file.AddRaw("not-a-hash", new JsonObject { ["name"] = "b" }); break;
            case "short-key": file.AddRaw(new string('a', 127), new JsonObject { ["name"] = "b" }); break;
            case "not-json": return "{\"tokens\": {";
            case "no-tokens": return "{\"version\": 2}";
            case "empty": return "{\"tokens\": {}}";
            case "bad-acls": file.AddRaw(CpanelTokenFile.Sha512Hex("x" + Guid.NewGuid()), new JsonObject { ["name"] = "b", ["acls"] = "list-accts" }); break;
            case "bad-expiry": file.AddRaw(CpanelTokenFile.Sha512Hex("x" + Guid.NewGuid()), new JsonObject { ["name"] = "b", ["expires_at"] = "soon" }); break;
            case "no-name": file.AddRaw(CpanelTokenFile.Sha512Hex("x" + Guid.NewGuid()), new JsonObject { ["create_time"] = 1 }); break;
            case "no-acls": file.AddRaw(CpanelTokenFile.Sha512Hex("x" + Guid.NewGuid()), new JsonObject { ["name"] = "b" }); break;
            case "null-acls": file.AddRaw(CpanelTokenFile.Sha512Hex("x" + Guid.NewGuid()), new JsonObject { ["name"] = "b", ["acls"] = null }); break;
            case "repeated-field":
                var text = file.Add("b", acls: ["list-accts"]).ToJson();
                return text.Replace("\"acls\":[\"list-accts\"]", "\"acls\":[\"list-accts\"],\"acls\":[\"all\"]", StringComparison.Ordinal);
            case "repeated-name": file.Add("a", acls: ["list-accts"]); break;
            case "name-taken": file.Add("existing", acls: ["list-accts"]); break;
            case "already-imported": file.Add("again", acls: ["list-accts"], token: already["again"]); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }

        return file.Add("c", acls: ["list-accts"]).ToJson();
    }
}
