using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ApiTokens.Tests.Legacy;

/// <summary>
/// <c>tokens import-whm</c> then real requests with the old cPanel tokens: they authenticate, are upgraded to the native form on
/// their first use (nothing else changes), and are refused exactly like any other token when wrong, revoked or expired.
/// </summary>
public sealed class ImportWhmHttpTests
{
    private static readonly long Now = ApiTokensTestHostBuilder.DefaultStart.ToUnixTimeSeconds();

    [Fact]
    public async Task ImportedTokens_AuthenticateWithTheirOldValues_AndAreNativeAfterTheirFirstUse()
    {
        await using var host = await LegacyHost.StartAsync();
        var file = new CpanelTokenFile()
            .Add("deploy", createTime: 1_650_000_000)
            .Add("monitor", acls: ["list-accts"], expiresAt: Now + 86_400)
            .Add("office", acls: ["list-accts", "all"], whitelist: ["127.0.0.1", "2001:db8::/32"]);
        var path = file.WriteTo("root.json");

        var (code, stdout, stderr) = await host.CliAsync(null, "tokens", "import-whm", path);

        Assert.True(code == 0, stderr);
        Assert.Contains("Imported 3 API tokens for root: deploy, monitor, office.", stdout, StringComparison.Ordinal);
        var imported = (await host.RowsAsync(host.Root.Id)).ToDictionary(t => t.Name);
        Assert.All(imported.Values, t => Assert.StartsWith("$sha512$", t.SecretHash, StringComparison.Ordinal));

        foreach (var name in new[] { "deploy", "monitor", "office" })
        {
            using var response = await host.GetAsync("/whoami", $"whm root:{file[name]}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("root", (string?)body["name"]);
            Assert.Equal(name, (string?)body["token"]);
        }

        // Limits kept: monitor holds list-accts only; office ("all" in its list) and deploy (["all"], as cPanel writes full access) hold everything.
        using (var listed = await host.GetAsync("/json-api/listaccts", $"whm root:{file["monitor"]}"))
        using (var killed = await host.GetAsync("/json-api/killacct", $"whm root:{file["monitor"]}"))
        using (var fullKill = await host.GetAsync("/json-api/killacct", $"whm root:{file["office"]}"))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, killed.StatusCode);
            Assert.Equal(HttpStatusCode.OK, fullKill.StatusCode);
        }

        var upgraded = (await host.RowsAsync(host.Root.Id)).ToDictionary(t => t.Name);
        foreach (var name in imported.Keys)
        {
            var before = imported[name];
            var after = upgraded[name];
            Assert.Equal(file[name][..8], after.Selector);
            Assert.StartsWith("$argon2id$", after.SecretHash, StringComparison.Ordinal);
            Assert.Equal(before.Id, after.Id);
            Assert.Equal(before.CreatedAt, after.CreatedAt);
            Assert.Equal(before.ExpiresAt, after.ExpiresAt);
            Assert.Equal(before.Acls, after.Acls);
            Assert.Equal(before.WhitelistIps, after.WhitelistIps);
            var sha = CpanelTokenFile.Sha512Hex(file[name]);
            Assert.DoesNotContain(sha[..16], JsonSerializer.Serialize(after), StringComparison.Ordinal);
            Assert.DoesNotContain("sha512", JsonSerializer.Serialize(after), StringComparison.Ordinal);
        }

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_650_000_000), upgraded["deploy"].CreatedAt);
        Assert.Null(upgraded["deploy"].Acls);
        Assert.Equal(["list-accts"], upgraded["monitor"].Acls);
        Assert.Null(upgraded["office"].Acls);
        Assert.Equal(["127.0.0.1", "2001:db8::/32"], upgraded["office"].WhitelistIps);
        Assert.Equal(3, host.Host.Log.Count(1201));
        Assert.Equal(3, host.Host.Log.Lines.Count(l => l.EventId == 2001 && l.Message.Contains("Imported", StringComparison.Ordinal)));
        Assert.DoesNotContain(file["deploy"], host.Host.Log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(CpanelTokenFile.Sha512Hex(file["deploy"])[..16], host.Host.Log.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUpgradedToken_IsFoundNatively_WithOneStoreReadAndNoLegacyLookup()
    {
        await using var host = await LegacyHost.StartAsync(b => b.ConfigureOptions(o => o.Cache.Enabled = false));
        var file = new CpanelTokenFile().Add("first").Add("still-imported");
        var (code, _, stderr) = await host.CliAsync(null, "tokens", "import-whm", file.WriteTo("root.json"));
        Assert.True(code == 0, stderr);
        using (var first = await host.GetAsync("/whoami", $"whm root:{file["first"]}"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        host.Store.Reset();
        using var again = await host.GetAsync("/whoami", $"whm root:{file["first"]}");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, host.Store.FindBySelectorCalls); // its native row, nothing else: "still-imported" keeps the legacy path on
        Assert.Equal(1, host.Host.Log.Count(1201)); // upgraded once, on the first use only
    }

    [Fact]
    public async Task WrongRevokedAndExpiredImportedTokens_AreRefusedExactlyLikeAnUnknownToken()
    {
        await using var host = await LegacyHost.StartAsync();
        var file = new CpanelTokenFile()
            .Add("kept")
            .Add("revoked")
            .Add("expired", expiresAt: Now - 60)
            .Add("expiring", expiresAt: Now + 60);
        var (code, _, stderr) = await host.CliAsync(null, "tokens", "import-whm", file.WriteTo("root.json"));
        Assert.True(code == 0, stderr);
        var revoked = await host.Host.Manager.RevokeAsync(host.Root.Id, "revoked");
        Assert.True(revoked.Value);
        host.Host.Time.Advance(TimeSpan.FromMinutes(2)); // "expiring" is past its expiry now

        var unknown = await ObserveAsync(host, "whm root:" + CpanelTokenFile.NewToken());
        var cases = new Dictionary<string, string>
        {
            ["WrongSecret or UnknownToken"] = "whm root:" + file["kept"][..8] + CpanelTokenFile.NewToken()[..24],
            ["revoked"] = "whm root:" + file["revoked"],
            ["expired at import"] = "whm root:" + file["expired"],
            ["expired since"] = "whm root:" + file["expiring"],
        };
        foreach (var (label, header) in cases)
        {
            Assert.True(unknown == await ObserveAsync(host, header), label);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
        using var kept = await host.GetAsync("/whoami", "whm root:" + file["kept"]);
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        var stored = (await host.RowsAsync(host.Root.Id)).ToDictionary(t => t.Name);
        // The right value proves the token before its expiry is checked: the SHA-512 is gone even though the request was refused.
        Assert.StartsWith("$argon2id$", stored["expired"].SecretHash, StringComparison.Ordinal);
        Assert.DoesNotContain("revoked", stored.Keys);
    }

    [Fact]
    public async Task TheUserComesFromTheFileName_OrFromUser()
    {
        await using var host = await LegacyHost.StartAsync();
        var reseller = new CpanelTokenFile().Add("r1", acls: ["list-accts"]);
        var other = new CpanelTokenFile().Add("r2", acls: ["list-accts"]);

        var byName = await host.CliAsync(null, "tokens", "import-whm", reseller.WriteTo("reseller.json"));
        var byOption = await host.CliAsync(null, "tokens", "import-whm", other.WriteTo("backup-copy.json"), "--user", "reseller");
        var ghost = await host.CliAsync(null, "tokens", "import-whm", other.WriteTo("ghost.json"));

        Assert.True(byName.ExitCode == 0, byName.StdErr);
        Assert.True(byOption.ExitCode == 0, byOption.StdErr);
        Assert.Equal(1, ghost.ExitCode);
        Assert.Equal("The account “ghost” does not exist.", ghost.StdErr.Trim());
        using var response = await host.GetAsync("/json-api/listaccts", "whm reseller:" + other["r2"]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    internal sealed record Observed(HttpStatusCode Status, string WwwAuthenticate, string Body, string HeaderNames);

    internal static async Task<Observed> ObserveAsync(LegacyHost host, string header)
    {
        using var r = await host.GetAsync("/whoami", header);
        return new(
            r.StatusCode,
            r.Headers.WwwAuthenticate.ToString(),
            await r.Content.ReadAsStringAsync(),
            string.Join(",", r.Headers.Select(h => h.Key).Where(k => k != "Date").Order(StringComparer.Ordinal)));
    }
}
