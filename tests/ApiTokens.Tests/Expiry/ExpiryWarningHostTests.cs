using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Expiry;

/// <summary>The expiry-warning service in a running app: its timer finds a token that entered the window, and a stop cancels it.</summary>
public sealed class ExpiryWarningHostTests
{
    private static readonly DateTimeOffset Start = ApiTokensTestHostBuilder.DefaultStart;

    [Fact]
    public async Task ARunningApp_WarnsWithinAScanIntervalOfATokenEnteringTheWindow()
    {
        var warnings = new ExpiryWarnings();
        await using var host = await new ApiTokensTestHostBuilder()
            .SeedAccounts(a => a.Add("bob", "all"))
            .ConfigureApiTokens(b => b.AddInMemoryAuditStore().AddExpiryWarningHandler<RecordingHandler>())
            .ConfigureServices(s => s.AddSingleton(warnings))
            .StartAsync();
        var bob = (await host.Accounts.FindByUserNameAsync("bob", CancellationToken.None))!;
        await host.CreateTokenAsync(bob, "deploy", expiresAt: Start.AddDays(7).AddMinutes(20));

        for (var round = 0; round < 4; round++)
        {
            host.Time.Advance(ExpiryWarningService.MaxScanInterval); // the token enters the window at the fourth round (20 minutes)
        }

        await warnings.WaitAsync();

        var (token, owner) = Assert.Single(warnings.Told);
        Assert.Equal(("deploy", "bob"), (token.Name, owner?.UserName));
        var stored = host.Services.GetRequiredService<InMemoryApiTokenAuditStore>().Events;
        Assert.Equal(Start.AddDays(7).AddMinutes(20), Assert.Single(stored, e => e.Action == ApiTokenAuditAction.ExpiryWarning).ExpiresAt);
    }

    [Fact]
    public async Task StoppingTheApp_CancelsAHandlerStillRunning()
    {
        var warnings = new ExpiryWarnings();
        var host = await new ApiTokensTestHostBuilder()
            .SeedAccounts(a => a.Add("bob", "all"))
            .ConfigureApiTokens(b => b.AddExpiryWarningHandler<SlowHandler>())
            .ConfigureServices(s => s.AddSingleton(warnings))
            .StartAsync();
        var bob = (await host.Accounts.FindByUserNameAsync("bob", CancellationToken.None))!;
        await host.CreateTokenAsync(bob, "deploy", expiresAt: Start.AddDays(1));

        host.Time.Advance(TimeSpan.FromMinutes(5));
        await warnings.WaitAsync(); // the handler is running

        await host.DisposeAsync();

        Assert.True(SlowHandler.SawCancellation(warnings));
        Assert.DoesNotContain(host.Log.Lines, l => l.EventId == 1622); // a stop is not a handler failure
    }

    /// <summary>Says it started, then waits until it is cancelled (a mail server that does not answer).</summary>
    private sealed class SlowHandler(ExpiryWarnings warnings) : IApiTokenExpiryWarningHandler
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ExpiryWarnings, object> Cancelled = [];

        public static bool SawCancellation(ExpiryWarnings warnings) => Cancelled.TryGetValue(warnings, out _);

        public async ValueTask OnExpiryWarningAsync(ApiToken token, ApiTokenAccount? owner, CancellationToken cancellationToken)
        {
            warnings.Add(token, owner);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled.AddOrUpdate(warnings, new object());
                throw;
            }
        }
    }
}
