using System.Globalization;
using System.Net;
using ApiTokens.Page.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ApiTokens.Page.Tests;

/// <summary>"History" in the browser, on a host with an in-memory audit store: this account's events only, newest first, paged.</summary>
public sealed class HistoryTests(BrowserFixture browser) : PageTestBase(browser)
{
    protected override Task<PageTestHost> StartHostAsync() => PageTestHost.StartWithHistoryAsync();

    [SkippableFact]
    public async Task History_ListsThisAccountsEventsOnly_NewestFirst_WithWhenWhatTokenWhoAndFrom()
    {
        SkipWithoutBrowser();
        await Host.CreateTokenAsync("reseller", "resellers-token", ["list-accts"]);
        using (var root = new PageHttpClient(Host))
        {
            await root.LogInAsync("root");
            await root.SessionAsync();
            await SendOkAsync(root, HttpMethod.Post, "/tokens/api/tokens", new { name = "ci", acls = new[] { "list-accts" } });
            await SendOkAsync(root, HttpMethod.Put, "/tokens/api/tokens/ci", new { new_name = "ci-bot", acls = new[] { "edit-dns" } });
            await SendOkAsync(root, HttpMethod.Post, "/tokens/api/tokens/ci-bot/rotate", new { grace_period = 86400 });
            await SendOkAsync(root, HttpMethod.Delete, "/tokens/api/tokens/ci-bot", null);
        }

        await LogInAsync("root");
        await Button("History").ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "History" })).ToBeVisibleAsync();
        var rows = Page.Locator("#history-rows tr");
        await Expect(rows).ToHaveCountAsync(4);
        var now = Host.Time.GetUtcNow();
        var when = now.ToString("MM dd yyyy HH:mm:ss", CultureInfo.InvariantCulture);
        var until = now.AddDays(1).ToString("MM dd yyyy HH:mm:ss", CultureInfo.InvariantCulture);
        string[][] expected =
        [
            [when, "Revoked", "ci-bot", "root", "127.0.0.1"],
            [when, $"Regenerated; the old token works until {until}", "ci-bot", "root", "127.0.0.1"],
            [when, "Updated: name, privileges", "ci → ci-bot", "root", "127.0.0.1"],
            [when, "Created", "ci", "root", "127.0.0.1"],
        ];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], await rows.Nth(i).Locator("td").AllInnerTextsAsync());
        }

        await Expect(Page.Locator("#history-view")).Not.ToContainTextAsync("resellers-token");
        await Expect(Page.Locator("#history-range")).ToHaveTextAsync("1–4 of 4");

        await Button("Back to API Tokens").ClickAsync();
        await Expect(Page.Locator("#list-view")).ToBeVisibleAsync();
        Assert.Empty(BrowserErrors);
    }

    [SkippableFact]
    public async Task History_PagesThroughOlderEvents_25AtATime()
    {
        SkipWithoutBrowser();
        for (var i = 1; i <= 27; i++)
        {
            await Host.CreateTokenAsync("root", $"t{i:00}", ["list-accts"]);
            Host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        await LogInAsync("root");
        await Button("History").ClickAsync();
        var rows = Page.Locator("#history-rows tr");
        await Expect(rows).ToHaveCountAsync(25);
        await Expect(rows.First).ToContainTextAsync("t27");
        await Expect(Page.Locator("#history-range")).ToHaveTextAsync("1–25 of 27");
        await Expect(Button("Newer")).ToBeDisabledAsync();

        await Button("Older").ClickAsync();
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(Page.Locator("#history-range")).ToHaveTextAsync("26–27 of 27");
        await Expect(rows.Last).ToContainTextAsync("t01");
        await Expect(Button("Older")).ToBeDisabledAsync();

        await Button("Newer").ClickAsync();
        await Expect(rows).ToHaveCountAsync(25);
        await Expect(rows.First).ToContainTextAsync("t27");
    }

    private static async Task SendOkAsync(PageHttpClient client, HttpMethod method, string path, object? body)
    {
        using var response = await client.SendAsync(method, path, body, antiforgery: true);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
