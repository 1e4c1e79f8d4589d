using System.Globalization;
using System.Net;
using ApiTokens.Tests.Busy;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Leaks;

/// <summary>
/// Leak reports as an attacker sends them: junk for a leaked token's selector, wrong values for selectors the reporter knows (its
/// own tokens'), garbage to spend the limits, a node with no Argon2 worker free. Whatever is sent, a real report from another
/// address still revokes, Argon2 runs stay bounded, and a value that was not checked is never answered as if it had been.
/// </summary>
public sealed class LeakAbuseTests
{
    private const string Attacker = "203.0.113.5";
    private const string Scanner = "198.51.100.7";

    private static string Wrong(string selector, int i) => selector + i.ToString("D24", CultureInfo.InvariantCulture);

    [Fact]
    public async Task JunkForALeakedSelector_ThrottlesOnlyItsSender_AndAReportFromAnotherAddressRevokes()
    {
        await using var host = await LeakHost.StartAsync();
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        var selector = token.Token.Selector;

        // The attacker fills its window for the selector (MaxFailuresPerSelector wrong values), so its own reports of it wait.
        var junk = Enumerable.Range(0, 10).Select(i => Wrong(selector, i)).ToArray();
        Assert.Equal(HttpStatusCode.Accepted, (await host.ReportFromAsync(Attacker, junk)).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.ReportFromAsync(Attacker, token.PlaintextToken)).Status);
        Assert.Equal(HttpStatusCode.OK, await host.TryAsync("root", token.PlaintextToken));

        var real = await host.ReportFromAsync(Scanner, token.PlaintextToken);

        Assert.Equal(HttpStatusCode.Accepted, real.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("root", token.PlaintextToken));
    }

    [Theory]
    [InlineData("2001:db8:1:2::99", HttpStatusCode.ServiceUnavailable)] // the attacker's own /64
    [InlineData("2001:db8:1:3::1", HttpStatusCode.Accepted)]
    public async Task JunkFromAnIPv6Address_ThrottlesItsWholeSlash64_AndNoOtherPrefix(string reporter, HttpStatusCode expected)
    {
        await using var host = await LeakHost.StartAsync();
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        var junk = Enumerable.Range(0, 10).Select(i => Wrong(token.Token.Selector, i)).ToArray();
        Assert.Equal(HttpStatusCode.Accepted, (await host.ReportFromAsync("2001:db8:1:2::1", junk)).Status);

        Assert.Equal(expected, (await host.ReportFromAsync(reporter, token.PlaintextToken)).Status);
    }

    [Fact]
    public async Task WrongValuesForTheReportersOwnSelectors_CostAtMostItsBudgetOfFailedChecks()
    {
        await using var host = await LeakHost.StartAsync(options: o => o.Policy.MaxCreatesPerAccountPerMinute = 0);
        var mallory = host.Host.Accounts.Add("mallory", "all");
        var root = host.Host.Accounts.Add("root", "all");
        var leaked = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        var selectors = new List<string>();
        for (var t = 0; t < 10; t++)
        {
            selectors.Add((await host.Host.CreateTokenAsync(mallory, "t" + t)).Token.Selector);
        }

        var values = selectors.SelectMany(s => Enumerable.Range(0, 10).Select(i => Wrong(s, i))).ToArray();
        host.Hasher.Reset();

        var first = await host.ReportFromAsync(Attacker, values);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.Status); // not all checked: a real leak among them must be sent again
        Assert.Equal("60", first.RetryAfter);
        Assert.Equal(20, host.Hasher.VerifyCalls); // MaxFailedChecksPerAddress, not 100
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.ReportFromAsync(Attacker, leaked.PlaintextToken)).Status);
        Assert.Equal(20, host.Hasher.VerifyCalls);

        // Another address is not affected, and the attacker's budget comes back with the window.
        Assert.Equal(HttpStatusCode.Accepted, (await host.ReportFromAsync(Scanner, Wrong(selectors[0], 99))).Status);
        host.Host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Accepted, (await host.ReportFromAsync(Attacker, leaked.PlaintextToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("root", leaked.PlaintextToken));
    }

    [Fact]
    public async Task RealLeaks_DoNotSpendTheReportersBudgetOfFailedChecks()
    {
        await using var host = await LeakHost.StartAsync(o => o.MaxFailedChecksPerAddress = 1);
        var root = host.Host.Accounts.Add("root", "all");
        var tokens = new List<CreatedApiToken>();
        for (var t = 0; t < 3; t++)
        {
            tokens.Add(await host.Host.CreateTokenAsync(root, "t" + t, ["list-accts"]));
        }

        var answer = await host.ReportFromAsync(Scanner, [.. tokens.Select(t => t.PlaintextToken)]);

        Assert.Equal(HttpStatusCode.Accepted, answer.Status);
        Assert.Equal(3, host.Recorder.Leaks.Count);
    }

    [Fact]
    public async Task ChecksOfAllAddressesTogether_StopAtTheOverallBudget_UntilTheWindowPasses()
    {
        await using var host = await LeakHost.StartAsync(o => o.MaxChecksPerWindow = 5, o => o.Policy.MaxCreatesPerAccountPerMinute = 0);
        var root = host.Host.Accounts.Add("root", "all");
        var leaked = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        var selectors = new List<string>();
        for (var t = 0; t < 3; t++)
        {
            selectors.Add((await host.Host.CreateTokenAsync(root, "t" + t)).Token.Selector);
        }

        host.Hasher.Reset();

        var statuses = new List<HttpStatusCode>();
        for (var a = 0; a < 3; a++)
        {
            statuses.Add((await host.ReportFromAsync("192.0.2." + a, [.. selectors.Select(s => Wrong(s, a))])).Status);
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable], statuses);
        Assert.Equal(5, host.Hasher.VerifyCalls);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.ReportFromAsync(Scanner, leaked.PlaintextToken)).Status);
        Assert.Equal(5, host.Hasher.VerifyCalls);

        host.Host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Accepted, (await host.ReportFromAsync(Scanner, leaked.PlaintextToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("root", leaked.PlaintextToken));
    }

    [Fact]
    public async Task GarbageReports_DoNotSpendTheOverallLimit()
    {
        await using var host = await LeakHost.StartAsync(o =>
        {
            o.PermitsPerAddress = 0;
            o.PermitsPerWindow = 2;
        });
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await host.PostAsync("[]", "text/plain", Attacker)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.PostAsync("{", "application/json", Attacker)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await host.ReportFromAsync(Attacker, "not a token", "x")).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await host.ReportFromAsync(Attacker)).Status);

        var real = await host.ReportFromAsync(Scanner, token.PlaintextToken);

        Assert.Equal(HttpStatusCode.Accepted, real.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("root", token.PlaintextToken));
    }

    [Fact]
    public async Task NoArgon2WorkerInTime_Is503NotAccepted_AndTheSameReportRevokesOnceOneIsFree()
    {
        var hasher = new GatedHasher();
        await using var host = await LeakHost.StartAsync(
            options: o =>
            {
                o.Verification.MaxConcurrentHashes = 1;
                o.Verification.HashQueueTimeout = TimeSpan.FromMilliseconds(100);
            },
            customize: b => b.ConfigureServices(s => s.AddSingleton<IApiTokenHasher>(hasher)));
        var root = host.Host.Accounts.Add("root", "all");
        var holder = await host.Host.CreateTokenAsync(root, "holder", ["list-accts"]);
        var leaked = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        hasher.Entered.Reset();
        hasher.Open.Reset();
        var holding = host.TryAsync("root", holder.PlaintextToken); // holds the only worker
        Assert.True(hasher.Entered.Wait(TimeSpan.FromSeconds(30)), "The first verification never started.");

        LeakHost.Answer busy;
        try
        {
            busy = await host.ReportFromAsync(Scanner, leaked.PlaintextToken);
        }
        finally
        {
            hasher.Open.Set();
        }

        Assert.Equal(HttpStatusCode.OK, await holding);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.Status);
        Assert.Equal("60", busy.RetryAfter);
        Assert.Empty(host.Recorder.Leaks);
        Assert.Equal(HttpStatusCode.Accepted, (await host.ReportFromAsync(Scanner, leaked.PlaintextToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("root", leaked.PlaintextToken));
    }

    [Fact]
    public async Task StoreWithoutFindAllBySelector_IsNamedInAWarningAtStartUp_BeforeAnyReport()
    {
        // Added last, so it is the outermost decorator: the store the app resolves.
        await using var host = await LeakHost.StartAsync(customize: b => b.WrapStore((_, inner) => new NoLeakLookupStore(inner)));

        var warning = Assert.Single(host.Host.Log.Lines, l => l.EventId == 1705);
        Assert.Contains(nameof(NoLeakLookupStore), warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreWithFindAllBySelector_GetsNoWarning()
    {
        await using var host = await LeakHost.StartAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await host.ReportAsync(host.RandomToken())).Status);

        Assert.Equal(0, host.Host.Log.Count(1705));
    }

    /// <summary>A decorator written before leak revocation: it forwards everything it knew about, not FindAllBySelectorAsync.</summary>
    private sealed class NoLeakLookupStore(IApiTokenStore inner) : IApiTokenStore
    {
        public Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken) => inner.CreateAsync(token, cancellationToken);

        public Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken) =>
            inner.FindBySelectorAsync(accountId, selector, cancellationToken);

        public Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken) => inner.FindByNameAsync(accountId, name, cancellationToken);

        public Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken) => inner.ListAsync(accountId, query, cancellationToken);

        public Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken) =>
            inner.UpdateAsync(token, expectedConcurrencyStamp, cancellationToken);

        public Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken) => inner.DeleteAsync(accountId, tokenId, cancellationToken);

        public Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken) => inner.DeleteAllAsync(accountId, cancellationToken);
    }
}
