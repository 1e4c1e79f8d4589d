using System.Net;
using System.Text;
using System.Text.Json;
using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>
/// Leak revocation on SQLite (a real file) over HTTP: the EF store's cross-account lookup finds each reported token, the rows go
/// (or a rotated token's previous value is cleared), the owners see it in <c>api_token_audit</c>, and the values are refused.
/// </summary>
public sealed class LeakSqliteTests : IAsyncLifetime
{
    private const string ReportPath = "/api-tokens/leaked";
    private const string ListAccts = "/json-api/listaccts";

    private readonly SqliteHarness _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task LeakedTokensOfTwoAccounts_AreDeleted_AndInTheirOwnersAuditTrail()
    {
        await using var host = await StartAsync();
        var root = host.Accounts.Add("root", "all");
        var reseller = host.Accounts.Add("reseller", "list-accts");
        var rootToken = await host.CreateTokenAsync(root, "ci", ["list-accts"]);
        var resellerToken = await host.CreateTokenAsync(reseller, "ci", ["list-accts"]);
        await host.CreateTokenAsync(reseller, "kept", ["list-accts"]);
        Assert.Equal(HttpStatusCode.OK, await TryAsync(host, "reseller", resellerToken.PlaintextToken));

        var (status, body) = await ReportAsync(host, rootToken.PlaintextToken, "not a token", resellerToken.PlaintextToken);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("""{"received":3}""", body);
        Assert.Empty(await _database.ReadRawRowsAsync(root.Id));
        var left = Assert.Single(await _database.ReadRawRowsAsync(reseller.Id));
        Assert.Contains("name=kept|", left, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await TryAsync(host, "root", rootToken.PlaintextToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await TryAsync(host, "reseller", resellerToken.PlaintextToken));

        var history = await host.Manager.QueryAuditAsync(new ApiTokenAuditQuery { AccountId = reseller.Id });
        var leaked = Assert.Single(history.Events, e => e.Action == ApiTokenAuditAction.RevokedAsLeaked);
        Assert.Equal("ci", leaked.TokenName);
        Assert.Equal("leak-report", leaked.Actor);
        Assert.Null(leaked.RemoteAddress); // not stored unless RecordReporterAddress: the owner reads this history
    }

    [Fact]
    public async Task SharedSelectorAcrossAccounts_OnlyTheRowWhoseSecretMatchesIsDeleted()
    {
        await using var host = await StartAsync();
        var root = host.Accounts.Add("root", "all");
        var reseller = host.Accounts.Add("reseller", "list-accts");
        var token = await host.CreateTokenAsync(root, "ci", ["list-accts"]);
        var otherSecret = new string('7', 24);
        var twin = token.Token with
        {
            Id = Guid.NewGuid(),
            AccountId = reseller.Id,
            SecretHash = host.Hasher.Hash(otherSecret),
            ConcurrencyStamp = "twin",
        };
        Assert.Equal(ApiTokenStoreResult.Success, await host.Store.CreateAsync(twin, CancellationToken.None));

        await ReportAsync(host, token.PlaintextToken);

        Assert.Empty(await _database.ReadRawRowsAsync(root.Id));
        Assert.Single(await _database.ReadRawRowsAsync(reseller.Id));
        Assert.Equal(HttpStatusCode.OK, await TryAsync(host, "reseller", token.Token.Selector + otherSecret));
    }

    [Fact]
    public async Task LeakedPreviousValue_IsClearedFromTheRow_AndTheNewValueKeepsWorking()
    {
        await using var host = await StartAsync();
        var root = host.Accounts.Add("root", "all");
        var created = await host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        var rotated = await host.Manager.RotateAsync(root.Id, "deploy", TimeSpan.FromHours(1));
        Assert.True(rotated.Succeeded, rotated.Error?.Message);
        Assert.Contains("previous_selector=" + created.Token.Selector + "|", Assert.Single(await _database.ReadRawRowsAsync(root.Id)), StringComparison.Ordinal);

        await ReportAsync(host, created.PlaintextToken);

        var row = Assert.Single(await _database.ReadRawRowsAsync(root.Id));
        Assert.Contains("selector=" + rotated.Value.Token.Selector + "|", row, StringComparison.Ordinal);
        Assert.Contains("previous_selector=|", row, StringComparison.Ordinal);
        Assert.Contains("previous_secret_hash=|", row, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await TryAsync(host, "root", created.PlaintextToken));
        Assert.Equal(HttpStatusCode.OK, await TryAsync(host, "root", rotated.Value.PlaintextToken));
    }

    private Task<ApiTokensTestHost> StartAsync() => new ApiTokensTestHostBuilder()
        .UseStore(_database.AddStore)
        .ConfigureApiTokens(b => b.AddEntityFrameworkAuditStore<ApiTokensDbContext>())
        .ConfigureApp(app =>
        {
            app.MapLeakedTokenRevocation(ReportPath);
            app.MapGet(ListAccts, () => "accounts").RequirePrivilege("list-accts");
        })
        .StartAsync();

    private static async Task<(HttpStatusCode Status, string Body)> ReportAsync(ApiTokensTestHost host, params string[] values)
    {
        using var content = new StringContent(JsonSerializer.Serialize(values), Encoding.UTF8, "application/json");
        using var response = await host.Client.PostAsync(new Uri(ReportPath, UriKind.Relative), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpStatusCode> TryAsync(ApiTokensTestHost host, string user, string token)
    {
        using var response = await host.GetAsync(ListAccts, user, token);
        return response.StatusCode;
    }
}
