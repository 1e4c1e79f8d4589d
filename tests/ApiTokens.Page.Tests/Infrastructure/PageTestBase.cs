using Microsoft.Playwright;

namespace ApiTokens.Page.Tests.Infrastructure;

/// <summary>Starts a fresh host and a fresh browser context per test; helpers log in and find the page's parts.</summary>
public abstract class PageTestBase : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private readonly BrowserFixture _browser;
    private IBrowserContext? _context;

    protected PageTestBase(BrowserFixture browser) => _browser = browser;

    protected PageTestHost Host { get; private set; } = null!;

    protected IPage Page { get; private set; } = null!;

    /// <summary>JavaScript errors and console errors (a CSP violation shows up here).</summary>
    protected List<string> BrowserErrors { get; } = [];

    public async Task InitializeAsync()
    {
        Host = await StartHostAsync();
        if (_browser.Browser is null)
        {
            return;
        }

        _context = await _browser.Browser.NewContextAsync(new()
        {
            TimezoneId = "UTC",
            Locale = "en-US",
            ViewportSize = new() { Width = 1280, Height = 900 },
        });
        Page = await _context.NewPageAsync();
        Page.SetDefaultTimeout(30_000);
        Page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Text.Contains("status of 4", StringComparison.Ordinal))
            {
                BrowserErrors.Add(m.Text);
            }
        };
        Page.PageError += (_, e) => BrowserErrors.Add(e);
    }

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        await Host.DisposeAsync();
    }

    /// <summary>The host each test runs against: the WHM-chart app unless a test class chooses another.</summary>
    protected virtual Task<PageTestHost> StartHostAsync() => PageTestHost.StartAsync();

    protected void SkipWithoutBrowser() => Skip.If(_browser.Browser is null, _browser.SkipReason);

    /// <summary>Opens <c>/tokens</c>, is sent to <c>/login</c>, logs in, and waits for the page to be ready.</summary>
    protected async Task LogInAsync(string user = "root", bool expectAllowed = true)
    {
        SkipWithoutBrowser();
        await Page.GotoAsync(Host.Url("/tokens"));
        Assert.Contains("/login", Page.Url, StringComparison.Ordinal);
        await Page.GetByLabel("User name").FillAsync(user);
        await Page.GetByLabel("Password").FillAsync(PageTestHost.Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        // Polls the address only: WaitForURL also waits for "load", which can be missed when the redirect lands before it subscribes.
        await Assertions.Expect(Page).ToHaveURLAsync(BrowserFixture.TokensUrl());
        if (expectAllowed)
        {
            await Page.Locator("body[data-ready='true']").WaitForAsync();
        }
    }

    protected ILocator Row(string name) => Page.Locator($"#token-rows tr[data-name='{name}']");

    protected ILocator Rows => Page.Locator("#token-rows tr");

    protected ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    protected ILocator Privilege(string name) => Page.Locator($"#privilege-groups input[value='{name}']");

    protected static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
