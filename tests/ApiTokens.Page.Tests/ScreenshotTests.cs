using ApiTokens.Page.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ApiTokens.Page.Tests;

/// <summary>
/// Takes screenshots of the list and of the generate form in the test output folder, and checks they are real
/// images. The screenshots in docs/ come from the sample app (tests/WhmAdmin.Tests, APITOKENS_UPDATE_SCREENSHOTS=1).
/// </summary>
public sealed class ScreenshotTests(BrowserFixture browser) : PageTestBase(browser)
{
    [SkippableFact]
    public async Task Screenshots_OfTheListAndTheGenerateForm_AreTaken()
    {
        var now = Host.Time.GetUtcNow();
        await Host.CreateTokenAsync("reseller", "backup-script", ["list-accts", "acct-summary"], now.AddDays(30));
        await Host.CreateTokenAsync("reseller", "ci-deploy", ["basic-whm-functions", "list-accts", "list-pkgs"]);
        await Host.CreateTokenAsync("reseller", "dns-sync", ["edit-dns", "manage-dns-records"], now.AddHours(6));
        await Host.CreateTokenAsync("reseller", "full-admin");
        await LogInAsync("reseller");
        await Page.SetViewportSizeAsync(1100, 620);
        await Expect(Rows).ToHaveCountAsync(4);

        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var list = Path.Combine(folder, "tokens-list.png");
        await Page.ScreenshotAsync(new() { Path = list });

        await Button("Generate Token").ClickAsync();
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("deploy-bot");
        await Page.Locator("#token-expires").FillAsync(now.AddDays(90).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await Page.Locator("#token-whitelist").FillAsync("198.51.100.0/24");
        await Page.GetByLabel("Name", new() { Exact = true }).FocusAsync();
        var generate = Path.Combine(folder, "generate-token.png");
        await Page.ScreenshotAsync(new() { Path = generate, FullPage = true });

        foreach (var file in new[] { list, generate })
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.Length > 10_000, $"{file} is only {bytes.Length} bytes.");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        }
    }
}
