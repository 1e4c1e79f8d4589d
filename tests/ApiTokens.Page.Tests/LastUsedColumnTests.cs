using System.Net;
using System.Text.Json;
using ApiTokens.Page.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Page.Tests;

/// <summary>The page's "Last used" column: the JSON it is drawn from (no browser), and what the browser shows.</summary>
public sealed class LastUsedColumnTests(BrowserFixture browser) : PageTestBase(browser)
{
    [Fact]
    public async Task TheListJson_CarriesLastUsedAndItsAddress_AfterTheInterval_AndNullForATokenNeverUsed()
    {
        await using var host = await UsageTestHost.Builder()
            .ConfigureApiTokens(b => b.AddPage())
            .ConfigureApp(app => app.MapApiTokensPage("/tokens"))
            .StartAsync();
        var root = host.Accounts.Add("root", "all");
        var manager = (await host.CreateTokenAsync(root, "manager", [WhmPrivileges.ManageApiTokens])).PlaintextToken;
        _ = await host.CreateTokenAsync(root, "idle");
        host.Time.Advance(TimeSpan.FromSeconds(4));
        using (var use = await host.GetAsync("/tokens/api/tokens", "root", manager))
        {
            Assert.Equal(HttpStatusCode.OK, use.StatusCode);
        }

        await host.FlushAsync();

        using var list = await host.GetAsync("/tokens/api/tokens", "root", manager);
        using var json = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
        var tokens = json.RootElement.GetProperty("tokens").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal(ApiTokensTestHostBuilder.DefaultStart.ToUnixTimeSeconds() + 4, tokens["manager"].GetProperty("last_used").GetInt64());
        Assert.Equal("127.0.0.1", tokens["manager"].GetProperty("last_used_ip").GetString());
        Assert.Equal(JsonValueKind.Null, tokens["idle"].GetProperty("last_used").ValueKind);
        Assert.Equal(JsonValueKind.Null, tokens["idle"].GetProperty("last_used_ip").ValueKind);
    }

    [SkippableFact]
    public async Task TheList_HasALastUsedColumn_ThatSaysNeverForATokenNeverUsed()
    {
        await Host.CreateTokenAsync("root", "unused");

        await LogInAsync("root");

        await Expect(Page.Locator("#token-rows").Locator("xpath=ancestor::table//thead")).ToContainTextAsync("Last used");
        await Expect(Row("unused").Locator("td.last-used")).ToHaveTextAsync("Never");
        Assert.Empty(BrowserErrors);
    }
}
