using System.Net;
using System.Security.Claims;
using System.Text;
using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>
/// A cPanel token file imported into SQLite (a real file), then used over HTTP: after the first use the row is native, and
/// neither the table nor the database file holds the SHA-512 any more.
/// </summary>
public sealed class LegacySqliteTests : IAsyncLifetime
{
    private readonly SqliteHarness _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task ImportedToken_AfterItsFirstUse_LeavesNoSha512InTheDatabaseFile()
    {
        var file = new CpanelTokenFile().Add("deploy", acls: ["list-accts"]).Add("unused");
        var sha = CpanelTokenFile.Sha512Hex(file["deploy"]);
        await using var host = await new ApiTokensTestHostBuilder()
            .UseStore(_database.AddStore)
            .SeedAccounts(a => a.Add("root", "all"))
            .ConfigureApp(app => app.MapGet("/whoami", (ClaimsPrincipal user) => user.Identity!.Name).RequireAuthorization())
            .StartAsync();
        var path = file.WriteTo("root.json");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(0, await host.App.RunApiTokensCommandsAsync(["tokens", "import-whm", path], stdout, stderr));
        Assert.Contains(sha, await DatabaseTextAsync());

        using var response = await host.GetAsync("/whoami", "root", file["deploy"]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = await host.Accounts.FindByUserNameAsync("root", CancellationToken.None);
        var rows = await _database.ReadRawRowsAsync(root!.Id);
        var deploy = Assert.Single(rows, r => r.Contains("name=deploy|", StringComparison.Ordinal));
        Assert.Contains("selector=" + file["deploy"][..8] + "|", deploy, StringComparison.Ordinal);
        Assert.Contains("secret_hash=$argon2id$", deploy, StringComparison.Ordinal);
        Assert.Contains("acls=[\"list-accts\"]", deploy, StringComparison.Ordinal);
        Assert.DoesNotContain(sha[..30], string.Join("\n", rows), StringComparison.Ordinal);

        // Not in any page of the file either (no freed cell keeps the old row or index entry).
        SqliteConnection.ClearAllPools();
        var text = await DatabaseTextAsync();
        Assert.DoesNotContain(sha[..30], text, StringComparison.Ordinal);
        Assert.Contains(CpanelTokenFile.Sha512Hex(file["unused"]), text, StringComparison.Ordinal); // the other one waits for its first use
    }

    private async Task<string> DatabaseTextAsync()
    {
        var directory = Path.GetDirectoryName(_database.DatabasePath)!;
        var text = new StringBuilder();
        foreach (var path in Directory.GetFiles(directory))
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            text.Append(await reader.ReadToEndAsync());
        }

        return text.ToString();
    }
}
