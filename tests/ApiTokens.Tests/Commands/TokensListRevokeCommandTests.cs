using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApiTokens.Tests.Commands;

/// <summary><c>tokens list</c> and <c>tokens revoke</c>, and what revoke says (or waits for) about running servers.</summary>
public sealed class TokensListRevokeCommandTests
{
    [Fact]
    public async Task List_PrintsOneTabSeparatedLinePerToken()
    {
        await using var cli = new CommandHarness();
        Assert.Equal(0, (await cli.RunAsync("tokens", "create", "--user", "reseller", "--name", "full")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync(
            "tokens", "create", "--user", "reseller", "--name", "lister", "--acl", "list-accts", "--expires-at", "1893456000",
            "--whitelist-ip", "192.0.2.10")).ExitCode);
        var created = ApiTokensTestHostBuilder.DefaultStart.ToUnixTimeSeconds();

        var run = await cli.RunAsync("tokens", "list", "--user", "reseller");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            [$"full\tcreated {created}\texpires never\tfull access\tany address\tlast used never", $"lister\tcreated {created}\texpires 1893456000\tlist-accts\t192.0.2.10\tlast used never"],
            run.Lines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task List_ForAnAccountWithoutTokens_PrintsNothing()
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync("tokens", "list", "--user", "root");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.StdOut + run.StdErr);
    }

    [Fact]
    public async Task List_ForAnUnknownAccount_Exits1()
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync("tokens", "list", "--user", "nobody");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("The account “nobody” does not exist.", run.StdErr.Trim());
    }

    [Fact]
    public async Task Revoke_WithoutABackplane_RevokesIt_AndSaysHowLongARunningServerMayStillAcceptIt()
    {
        await using var cli = new CommandHarness(b => b.ConfigureOptions(o => o.Cache.Lifetime = TimeSpan.FromSeconds(90)));
        var token = (await cli.RunAsync("tokens", "create", "--user", "root", "--name", "old")).LastLine;

        var run = await cli.RunAsync("tokens", "revoke", "--user", "root", "--name", "old");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("Revoked API token “old” of root.", run.StdOut.Trim());
        Assert.StartsWith(
            "Note: a running server may keep accepting this token for up to 90 seconds (ApiTokens:Cache:Lifetime)", run.StdErr, StringComparison.Ordinal);
        Assert.Null(await cli.Manager.FindByPlaintextAsync(cli.Account("root").Id, token));
    }

    [Fact]
    public async Task Revoke_WithTheCacheOff_SaysNothingAboutRunningServers()
    {
        await using var cli = new CommandHarness(b => b.ConfigureOptions(o => o.Cache.Enabled = false));
        await cli.RunAsync("tokens", "create", "--user", "root", "--name", "old");

        var run = await cli.RunAsync("tokens", "revoke", "--user", "root", "--name", "old");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.StdErr);
    }

    [Fact]
    public async Task Revoke_AnUnknownToken_Exits1_WithTheManagersMessage()
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync("tokens", "revoke", "--user", "root", "--name", "never-made");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.StdOut);
        Assert.Equal("The API token “never-made” does not exist.", run.StdErr.Trim());
    }

    [Fact]
    public async Task Revoke_WithABackplane_StartsIt_WaitsUntilTheChangeIsPublished_ThenStopsIt()
    {
        var backplane = new RecordingBackplane(publishes: true);
        await using var cli = new CommandHarness(b => b.ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton<IApiTokenChangeNotifier>(backplane))));
        await cli.RunAsync("tokens", "create", "--user", "root", "--name", "old");
        // A create's notice (negative lookups go stale) is applied here; the backplane is not started for it: a running server
        // that remembered the account had no such selector sees the new token within the negative-lookup lifetime (30 s).
        Assert.Equal(["changed"], backplane.Calls);

        var run = await cli.RunAsync("tokens", "revoke", "--user", "root", "--name", "old");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["changed", "start", "changed", "flush", "stop"], backplane.Calls);
        Assert.Equal(string.Empty, run.StdErr);
    }

    [Fact]
    public async Task Revoke_WhenTheBackplaneCannotPublish_StillExits0_AndSaysRunningServersWereNotTold()
    {
        var backplane = new RecordingBackplane(publishes: false);
        await using var cli = new CommandHarness(b => b
            .ConfigureOptions(o => o.Cache.Lifetime = TimeSpan.FromMinutes(5))
            .ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton<IApiTokenChangeNotifier>(backplane))));
        await cli.RunAsync("tokens", "create", "--user", "root", "--name", "old");

        var run = await cli.RunAsync("tokens", "revoke", "--user", "root", "--name", "old");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["changed", "start", "changed", "flush", "stop"], backplane.Calls); // the first: the create's, not published
        Assert.StartsWith(
            "Note: the backplane could not be reached, so running servers were not told of this change: they may keep accepting this token for up to 5 minutes",
            run.StdErr,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_InARealHostThatWasNotStarted_StartsAndStopsOnlyTheBackplane()
    {
        var backplane = new RecordingBackplane(publishes: true);
        var other = new RecordingBackplane(publishes: true);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IApiTokenHasher>(new CountingHasher());
        builder.Services.AddApiTokens().AddInMemoryStore().AddInMemoryAccounts(a => a.Add("root", "all"));
        builder.Services.Replace(ServiceDescriptor.Singleton<IApiTokenChangeNotifier>(backplane));
        builder.Services.AddSingleton<IHostedService>(backplane);
        builder.Services.AddSingleton<IHostedService>(other);
        using var host = builder.Build();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(0, await host.RunApiTokensCommandsAsync(["tokens", "create", "--user", "root", "--name", "old"], stdout, stderr));

        var code = await host.RunApiTokensCommandsAsync(["tokens", "revoke", "--user", "root", "--name", "old"], stdout, stderr);

        Assert.True(code == 0, stderr.ToString());
        Assert.Equal(["changed", "start", "changed", "flush", "stop"], backplane.Calls); // the first: the create's, not published
        Assert.Empty(other.Calls); // the host's other hosted services (a web server) stay down
    }
}
