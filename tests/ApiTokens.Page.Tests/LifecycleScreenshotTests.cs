using ApiTokens.Page.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ApiTokens.Page.Tests;

/// <summary>
/// Screenshots of the lifecycle additions in the test output folder (<c>screenshots/</c>): the list with "Expires soon" and
/// "Regenerate", the Regenerate dialog, the regenerated token's panel and History; checked to be real images.
/// </summary>
public sealed class LifecycleScreenshotTests(BrowserFixture browser) : PageTestBase(browser)
{
    protected override Task<PageTestHost> StartHostAsync() => PageTestHost.StartWithHistoryAsync();

    [SkippableFact]
    public async Task Screenshots_OfRegenerateAndHistory_AreTaken()
    {
        SkipWithoutBrowser();
        var now = Host.Time.GetUtcNow();
        await Host.CreateTokenAsync("reseller", "backup-script", ["list-accts", "acct-summary"], now.AddDays(30));
        await Host.CreateTokenAsync("reseller", "ci-deploy", ["basic-whm-functions", "list-accts", "list-pkgs"]);
        await Host.CreateTokenAsync("reseller", "dns-sync", ["edit-dns", "manage-dns-records"], now.AddDays(3));
        using (var reseller = new PageHttpClient(Host))
        {
            await reseller.LogInAsync("reseller");
            await reseller.SessionAsync();
            using var update = await reseller.SendAsync(HttpMethod.Put, "/tokens/api/tokens/ci-deploy", new { acls = new[] { "list-accts", "list-pkgs" } }, antiforgery: true);
            Assert.True(update.IsSuccessStatusCode);
        }

        await LogInAsync("reseller");
        await Page.SetViewportSizeAsync(1100, 620);
        await Expect(Rows).ToHaveCountAsync(3);
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var shots = new List<string>();

        async Task ShotAsync(string name, bool fullPage = false)
        {
            var path = Path.Combine(folder, name);
            await Page.ScreenshotAsync(new() { Path = path, FullPage = fullPage });
            shots.Add(path);
        }

        await ShotAsync("tokens-list-expiring.png");

        await Row("ci-deploy").GetByRole(AriaRole.Button, new() { Name = "Regenerate" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Grace period for the old token").SelectOptionAsync(new SelectOptionValue { Label = "1 day" });
        await ShotAsync("regenerate-token.png");

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Regenerate" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Your Regenerated API Token" })).ToBeVisibleAsync();
        await ShotAsync("regenerated-token.png");

        await Button("Yes, I saved my token").ClickAsync();
        await Button("History").ClickAsync();
        await Expect(Page.Locator("#history-rows tr")).ToHaveCountAsync(5);
        await ShotAsync("token-history.png", fullPage: true);

        foreach (var file in shots)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.Length > 10_000, $"{file} is only {bytes.Length} bytes.");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        }

        Assert.Empty(BrowserErrors);
    }
}
