using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ApiTokens.Testing;

/// <summary>
/// One headless Debian Chromium for the test class, driven by Playwright (which cannot download browsers here).
/// Missing Chromium: the tests skip with the reason on a developer machine and fail when <c>CI=true</c>.
/// </summary>
public sealed partial class BrowserFixture : IAsyncLifetime
{
    /// <summary>An address ending in <c>/tokens</c>: where a sign-in lands.</summary>
    [GeneratedRegex("/tokens$")]
    public static partial Regex TokensUrl();

    public IPlaywright? Playwright { get; private set; }

    public IBrowser? Browser { get; private set; }

    public string? SkipReason { get; private set; }

    public static string ChromiumPath => Environment.GetEnvironmentVariable("APITOKENS_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            SkipReason = $"Chromium was not found at {ChromiumPath}. Install it (apt-get install chromium) or set APITOKENS_CHROMIUM.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(SkipReason + " CI=true, so the browser tests fail instead of skipping.");
            }

            return;
        }

        // CI runs the test projects side by side on two cores; Expect's 5-second default is too tight there.
        Assertions.SetDefaultExpectTimeout(15_000);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
    }
}
