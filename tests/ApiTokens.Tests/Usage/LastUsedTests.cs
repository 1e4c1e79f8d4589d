using System.Net;
using ApiTokens.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApiTokens.Tests.Usage;

public sealed class LastUsedTests
{
    private static readonly long Start = ApiTokensTestHostBuilder.DefaultStart.ToUnixTimeSeconds();

    [Fact]
    public async Task ARequest_AfterTheInterval_ListAndDetailsShowItsTimeAndAddress()
    {
        await using var host = await UsageTestHost.Builder().StartAsync();
        var root = host.Accounts.Add("root", "all");
        var token = (await host.CreateTokenAsync(root, "main")).PlaintextToken;

        host.Time.Advance(TimeSpan.FromSeconds(10));
        using (var used = await host.GetAsync("/json-api/api_token_list?api.version=1", "root", token))
        {
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        await host.FlushAsync();

        var entry = (await host.ListTokensAsync("root", token))["main"];
        Assert.Equal(Start + 10, entry.LastUsed());
        Assert.Equal("127.0.0.1", entry.LastUsedIp());
        var details = await host.TokenDetailsAsync("root", token, token);
        Assert.Equal(Start + 10, details.LastUsed());
        Assert.Equal("127.0.0.1", details.LastUsedIp());
    }

    [Fact]
    public async Task ATokenNeverUsed_ShowsNull()
    {
        await using var host = await UsageTestHost.Builder().StartAsync();
        var root = host.Accounts.Add("root", "all");
        var token = (await host.CreateTokenAsync(root, "main")).PlaintextToken;
        var idle = (await host.CreateTokenAsync(root, "idle")).PlaintextToken;
        _ = await host.ListTokensAsync("root", token);
        await host.FlushAsync();

        var entries = await host.ListTokensAsync("root", token);
        Assert.NotNull(entries["main"].LastUsed());
        Assert.Null(entries["idle"].LastUsed());
        Assert.Null(entries["idle"].LastUsedIp());
        var details = await host.TokenDetailsAsync("root", token, idle);
        Assert.Null(details.LastUsed());
        Assert.Null(details.LastUsedIp());
    }

    [Fact]
    public async Task ManyRequestsInOneInterval_AreOneWrite_WithTheLatestTime()
    {
        await using var host = await UsageTestHost.Builder().StartAsync();
        var root = host.Accounts.Add("root", "all");
        var token = (await host.CreateTokenAsync(root, "main")).PlaintextToken;
        for (var i = 0; i < 20; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(2));
            _ = await host.ListTokensAsync("root", token);
        }

        var recorder = host.Recorder();
        var written = recorder.WaitForWriteAsync();
        host.Time.Advance(UsageTestHost.DefaultInterval - TimeSpan.FromSeconds(40)); // the first interval ends: 60 s after start
        await written;

        Assert.Equal(1, recorder.Calls);
        Assert.Equal(1, recorder.Entries);
        var stored = await host.Store.FindByNameAsync(root.Id, "main", CancellationToken.None);
        Assert.Equal(Start + 40, stored!.LastUsedAt!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task AStoreOutage_NeverFailsARequest_LogsOnce_AndTheUseIsWrittenWhenItEnds()
    {
        await using var host = await UsageTestHost.Builder().StartAsync();
        var root = host.Accounts.Add("root", "all");
        var token = (await host.CreateTokenAsync(root, "main")).PlaintextToken;
        var recorder = host.Recorder();
        recorder.Down = true;

        host.Time.Advance(TimeSpan.FromSeconds(5));
        _ = await host.ListTokensAsync("root", token);
        await host.FlushAsync();
        using (var during = await host.GetAsync("/json-api/api_token_list?api.version=1", "root", token))
        {
            Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        }

        await host.FlushAsync();
        await host.FlushAsync();

        Assert.Equal(1, host.Log.Count(1301));
        var line = host.Log.Lines.Single(l => l.EventId == 1301);
        Assert.DoesNotContain(token, host.Log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", line.Message, StringComparison.Ordinal);

        recorder.Down = false;
        await host.FlushAsync();
        Assert.Equal(1, host.Log.Count(1302));
        var stored = await host.Store.FindByNameAsync(root.Id, "main", CancellationToken.None);
        Assert.Equal(Start + 65, stored!.LastUsedAt!.Value.ToUnixTimeSeconds()); // the request made during the outage
    }

    [Fact]
    public async Task TwoNodes_OnOneStore_TheLatestTimeWins()
    {
        var store = new InMemoryApiTokenStore();
        var accounts = new InMemoryAccountProvider();
        var root = accounts.Add("root", "all");
        ApiTokensTestHostBuilder Node() => UsageTestHost.Builder()
            .UseStore(_ => store)
            .UseAccounts(b => b.Services.AddSingleton(accounts).AddSingleton<IApiTokenAccountProvider>(accounts));
        await using var early = await Node().StartAsync();
        await using var late = await Node().StartAsync();
        var token = (await early.CreateTokenAsync(root, "main")).PlaintextToken;

        late.Time.Advance(TimeSpan.FromSeconds(30));
        _ = await late.ListTokensAsync("root", token);
        early.Time.Advance(TimeSpan.FromSeconds(10));
        _ = await early.ListTokensAsync("root", token);

        await late.FlushAsync();  // writes start + 30
        await early.FlushAsync(); // writes start + 10 afterwards: older, so it changes nothing

        var stored = await store.FindByNameAsync(root.Id, "main", CancellationToken.None);
        Assert.Equal(Start + 30, stored!.LastUsedAt!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Stopping_WritesWhatIsPending()
    {
        var store = new InMemoryApiTokenStore();
        var host = await UsageTestHost.Builder().UseStore(_ => store).StartAsync();
        var root = host.Accounts.Add("root", "all");
        var token = (await host.CreateTokenAsync(root, "main")).PlaintextToken;
        host.Time.Advance(TimeSpan.FromSeconds(7));
        _ = await host.ListTokensAsync("root", token);

        await host.DisposeAsync();

        var stored = await store.FindByNameAsync(root.Id, "main", CancellationToken.None);
        Assert.Equal(Start + 7, stored!.LastUsedAt!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Disabled_NothingIsNoted()
    {
        await using var host = await UsageTestHost.Builder().ConfigureOptions(o => o.Usage.Enabled = false).StartAsync();
        var root = host.Accounts.Add("root", "all");
        var token = (await host.CreateTokenAsync(root, "main")).PlaintextToken;
        _ = await host.ListTokensAsync("root", token);

        Assert.Equal(0, host.Services.GetRequiredService<UsageTracker>().SlotCount);
        Assert.Null((await host.ListTokensAsync("root", token))["main"].LastUsed());
    }

    [Theory]
    [InlineData("00:00:00.5")]
    [InlineData("2.00:00:00")]
    public void AWriteIntervalOutOfRange_StopsStartUp_NamingTheKey(string interval)
    {
        var ex = Assert.Throws<OptionsValidationException>(() =>
            new ApiTokensTestHostBuilder().ConfigureOptions(o => o.Usage.WriteInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture)).BuildServices());
        Assert.Contains("ApiTokens:Usage:WriteInterval", ex.Message, StringComparison.Ordinal);
    }
}
