using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ApiTokens.Tests.Audit;

/// <summary>
/// <c>ApiTokens:Audit:Retention</c>: a running app deletes stored audit events older than the retention a minute after it starts
/// and then every hour, and a failing audit store is logged once and never stops the app.
/// </summary>
public sealed class AuditRetentionTests
{
    private static readonly DateTimeOffset Start = ApiTokensTestHostBuilder.DefaultStart;

    private static Task<ApiTokensTestHost> StartAsync(AuditStoreSwitch state, TimeSpan? retention) => new ApiTokensTestHostBuilder()
        .ConfigureOptions(o => o.Audit.Retention = retention)
        .ConfigureApiTokens(b => b.AddInMemoryAuditStore())
        .ConfigureServices(s =>
        {
            s.AddSingleton(state);
            s.AddScoped<IApiTokenAuditStore>(sp => new FailingAuditStore(state, sp.GetRequiredService<InMemoryApiTokenAuditStore>()));
        })
        .ConfigureApp(app => app.MapGet("/ping", () => "pong"))
        .StartAsync();

    private static ApiTokenAuditEvent Event(string tokenName, DateTimeOffset time) =>
        new(ApiTokenAuditAction.Created, "acct-1", "bob", tokenName, null, time, "bob", "192.0.2.1");

    private static string[] Stored(ApiTokensTestHost host) =>
        [.. host.Services.GetRequiredService<InMemoryApiTokenAuditStore>().Events.Select(e => e.TokenName!)];

    [Fact]
    public async Task ARunningApp_DeletesEventsOlderThanTheRetention_SoonAfterStart_ThenHourly()
    {
        var state = new AuditStoreSwitch();
        await using var host = await StartAsync(state, TimeSpan.FromDays(30));
        var audit = host.Services.GetRequiredService<InMemoryApiTokenAuditStore>();
        foreach (var e in new[] { Event("a-year-ago", Start.AddDays(-365)), Event("40-days", Start.AddDays(-40)), Event("30-days-less-30-min", Start.AddDays(-30).AddMinutes(30)), Event("today", Start) })
        {
            await audit.AppendAsync(e, CancellationToken.None);
        }

        host.Time.Advance(AuditRetentionService.FirstRun);
        await state.WaitForDeleteAsync();
        Assert.Equal(["30-days-less-30-min", "today"], Stored(host));

        host.Time.Advance(AuditRetentionService.Interval);
        await state.WaitForDeleteAsync();
        Assert.Equal(["today"], Stored(host));
    }

    [Fact]
    public async Task AFailingAuditStore_IsLoggedOnce_RetriedNextRound_AndNeverStopsTheApp()
    {
        var state = new AuditStoreSwitch { Fault = () => new TimeoutException("audit database down") };
        await using var host = await StartAsync(state, TimeSpan.FromDays(30));
        await host.Services.GetRequiredService<InMemoryApiTokenAuditStore>().AppendAsync(Event("old", Start.AddDays(-31)), CancellationToken.None);

        host.Time.Advance(AuditRetentionService.FirstRun);
        await state.WaitForDeleteAsync();
        host.Time.Advance(AuditRetentionService.Interval);
        await state.WaitForDeleteAsync();
        state.Fault = null;
        host.Time.Advance(AuditRetentionService.Interval);
        await state.WaitForDeleteAsync();

        Assert.Empty(Stored(host));
        var failed = Assert.Single(host.Log.Lines, l => l.EventId == 1612); // two failed rounds, one line
        Assert.Contains("TimeoutException", failed.Exception, StringComparison.Ordinal);
        using var response = await host.GetAsync("/ping", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task WithoutRetention_OrWithoutAnAuditStore_NothingIsDeleted()
    {
        await using var keepForever = new ApiTokensTestHostBuilder()
            .ConfigureOptions(o => o.Audit.Retention = null)
            .ConfigureApiTokens(b => b.AddInMemoryAuditStore())
            .BuildServices();
        await using var noStore = new ApiTokensTestHostBuilder().BuildServices();
        await keepForever.Services.GetRequiredService<InMemoryApiTokenAuditStore>().AppendAsync(Event("ancient", Start.AddYears(-20)), CancellationToken.None);

        var keeping = Retention(keepForever);
        var without = Retention(noStore);

        Assert.False(keeping.Enabled);
        Assert.False(without.Enabled);
        Assert.Equal(0, await keeping.RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await without.RunOnceAsync(CancellationToken.None));
        Assert.Single(keepForever.Services.GetRequiredService<InMemoryApiTokenAuditStore>().Events);
        await using var byDefault = new ApiTokensTestHostBuilder().ConfigureApiTokens(b => b.AddInMemoryAuditStore()).BuildServices();
        Assert.True(Retention(byDefault).Enabled); // the default: 365 days

        static AuditRetentionService Retention(ApiTokensTestServices services) =>
            services.Services.GetServices<IHostedService>().OfType<AuditRetentionService>().Single();
    }
}
