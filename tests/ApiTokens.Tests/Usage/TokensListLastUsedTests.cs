using ApiTokens.Tests.Commands;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Usage;

/// <summary><c>tokens list</c> ends each line with the token's last use.</summary>
public sealed class TokensListLastUsedTests
{
    [Fact]
    public async Task List_EndsEachLineWithLastUsedAndItsAddress_OrNever()
    {
        await using var cli = new CommandHarness();
        Assert.Equal(0, (await cli.RunAsync("tokens", "create", "--user", "reseller", "--name", "used")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("tokens", "create", "--user", "reseller", "--name", "unused")).ExitCode);
        var reseller = cli.Account("reseller");
        var used = (await cli.Manager.ListAsync(reseller.Id)).Items.Single(t => t.Name == "used");
        var at = ApiTokensTestHostBuilder.DefaultStart.AddMinutes(2);
        await cli.Services.GetRequiredService<IApiTokenStore>()
            .RecordUsageAsync([new ApiTokenUsage(reseller.Id, used.Id, at, "2001:db8::5")], CancellationToken.None);

        var run = await cli.RunAsync("tokens", "list", "--user", "reseller");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.EndsWith($"\tlast used {at.ToUnixTimeSeconds()} from 2001:db8::5", run.Lines.Single(l => l.StartsWith("used\t", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.EndsWith("\tlast used never", run.Lines.Single(l => l.StartsWith("unused\t", StringComparison.Ordinal)), StringComparison.Ordinal);
    }
}
