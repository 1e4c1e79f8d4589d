using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ApiTokens.Tests.Commands;

/// <summary><c>tokens rotate</c>: the new value once, on the last line; when the old one stops; refusals and usage errors.</summary>
public sealed class TokensRotateCommandTests
{
    private static readonly DateTimeOffset Start = ApiTokensTestHostBuilder.DefaultStart;

    private static async Task<ApiToken?> FindAsync(CommandHarness cli, string user, string token) =>
        await cli.Manager.FindByPlaintextAsync(cli.Account(user).Id, token);

    [Theory]
    [InlineData("3600")]
    [InlineData("01:00:00")]
    [InlineData("0.01:00:00")]
    public async Task Rotate_WithAGracePeriod_PrintsTheNewTokenAloneOnTheLastLine_AndWhenTheOldOneStops(string grace)
    {
        await using var cli = new CommandHarness(b => b.ConfigureOptions(o => o.Cache.Enabled = false));
        var old = (await cli.RunAsync("tokens", "create", "--user", "root", "--name", "deploy", "--acl", "list-accts")).LastLine;

        var run = await cli.RunAsync("tokens", "rotate", "--user", "root", "--name", "deploy", "--grace-period", grace);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(3, run.Lines.Length);
        Assert.Equal("Regenerated API token “deploy” of root. Save the new token now: it is shown only once.", run.Lines[0]);
        Assert.Equal("The old value stops working at 2026-01-15 11:30:00 UTC (Unix time 1768476600).", run.Lines[1]);
        Assert.Equal(string.Empty, run.StdErr);
        var token = run.LastLine;
        Assert.NotEqual(old, token);
        var row = (await FindAsync(cli, "root", token))!;
        Assert.Equal(["list-accts"], row.Acls);
        Assert.Equal(Start.AddHours(1), row.PreviousSecretExpiresAt);
    }

    [Fact]
    public async Task Rotate_WithoutAGracePeriod_SaysTheOldValueNoLongerWorks()
    {
        await using var cli = new CommandHarness(b => b.ConfigureOptions(o => o.Cache.Enabled = false));
        await cli.RunAsync("tokens", "create", "--user", "root", "--name", "deploy");

        var run = await cli.RunAsync("tokens", "rotate", "--user", "root", "--name", "deploy");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("The old value no longer works.", run.Lines[1]);
        Assert.Null((await FindAsync(cli, "root", run.LastLine))!.PreviousSelector);
    }

    [Fact]
    public async Task Rotate_WithoutABackplane_AndAGraceShorterThanTheCacheLifetime_SaysHowLongARunningServerMayStillAcceptTheOldValue()
    {
        await using var cli = new CommandHarness(b => b.ConfigureOptions(o => o.Cache.Lifetime = TimeSpan.FromMinutes(5)));
        await cli.RunAsync("tokens", "create", "--user", "root", "--name", "deploy");

        var shortGrace = await cli.RunAsync("tokens", "rotate", "--user", "root", "--name", "deploy", "--grace-period", "60");
        var longGrace = await cli.RunAsync("tokens", "rotate", "--user", "root", "--name", "deploy", "--grace-period", "300");

        Assert.Equal(0, shortGrace.ExitCode);
        Assert.StartsWith(
            "Note: a running server that verified the old value before this change may keep accepting it for up to 5 minutes (ApiTokens:Cache:Lifetime)",
            shortGrace.StdErr,
            StringComparison.Ordinal);
        Assert.Equal(0, longGrace.ExitCode);
        Assert.Equal(string.Empty, longGrace.StdErr);
    }

    [Fact]
    public async Task Rotate_WithABackplane_StartsIt_AndWaitsUntilTheChangeIsPublished()
    {
        var backplane = new RecordingBackplane();
        await using var cli = new CommandHarness(b => b.ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton<IApiTokenChangeNotifier>(backplane))));
        await cli.RunAsync("tokens", "create", "--user", "root", "--name", "deploy");

        var run = await cli.RunAsync("tokens", "rotate", "--user", "root", "--name", "deploy", "--grace-period", "10");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["changed", "start", "changed", "flush", "stop"], backplane.Calls); // the first: the create's, not published
        Assert.Equal(string.Empty, run.StdErr);
    }

    [Theory]
    [InlineData("ghost", "3600", "The API token “ghost” does not exist.")]
    [InlineData("deploy", "691201", "The grace period must be between 0 seconds and 8 days (691200 seconds).")]
    [InlineData("deploy", "-00:00:01", "The grace period must be between 0 seconds and 8 days (691200 seconds).")]
    public async Task Rotate_ARefusal_Exits1_WithTheManagersMessage_AndNothingChanges(string name, string grace, string message)
    {
        await using var cli = new CommandHarness(b => b.ConfigureOptions(o => o.Rotation.MaxGracePeriod = TimeSpan.FromDays(8)));
        var old = (await cli.RunAsync("tokens", "create", "--user", "root", "--name", "deploy")).LastLine;
        var before = await FindAsync(cli, "root", old);

        var run = await cli.RunAsync("tokens", "rotate", "--user", "root", "--name", name, "--grace-period", grace);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.StdOut);
        Assert.Equal(message, run.StdErr.Trim());
        Assert.Equal(before, await FindAsync(cli, "root", old));
    }

    [Fact]
    public async Task Rotate_AnExpiredToken_Exits1()
    {
        await using var cli = new CommandHarness();
        await cli.RunAsync("tokens", "create", "--user", "root", "--name", "deploy", "--expires-at", Start.AddMinutes(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        cli.Time.Advance(TimeSpan.FromMinutes(2));

        var run = await cli.RunAsync("tokens", "rotate", "--user", "root", "--name", "deploy");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("The API token “deploy” has expired, so it cannot be regenerated. Create a new token instead.", run.StdErr.Trim());
    }

    [Fact]
    public async Task Rotate_ForAnUnknownOrSuspendedAccount_Exits1()
    {
        await using var cli = new CommandHarness();

        var unknown = await cli.RunAsync("tokens", "rotate", "--user", "nobody", "--name", "deploy");
        var suspended = await cli.RunAsync("tokens", "rotate", "--user", "suspended", "--name", "deploy");

        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("The account “nobody” does not exist.", unknown.StdErr.Trim());
        Assert.Equal(1, suspended.ExitCode);
        Assert.Equal(ApiTokenErrors.AccountSuspended.Message, suspended.StdErr.Trim());
    }

    [Theory]
    [InlineData("1h")]
    [InlineData("1.5")]
    [InlineData("soon")]
    [InlineData("")]
    public async Task Rotate_AGracePeriodThatCannotBeRead_IsAUsageError(string grace)
    {
        await using var cli = new CommandHarness();
        var old = (await cli.RunAsync("tokens", "create", "--user", "root", "--name", "deploy")).LastLine;

        var run = await cli.RunAsync("tokens", "rotate", "--user", "root", "--name", "deploy", "--grace-period", grace);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--grace-period must be a whole number of seconds (3600) or a time span (1.00:00:00), not “{grace}”.", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("Run 'tokens rotate --help' for usage.", run.StdErr, StringComparison.Ordinal);
        Assert.Null((await FindAsync(cli, "root", old))!.PreviousSelector);
    }

    [Fact]
    public async Task Rotate_AMisspeltGracePeriodOption_IsAUsageError_NotHostConfiguration()
    {
        await using var cli = new CommandHarness();
        await cli.RunAsync("tokens", "create", "--user", "root", "--name", "deploy");

        var run = await cli.RunAsync("tokens", "rotate", "--user", "root", "--name", "deploy", "--grace_period=3600");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("looks like the option --grace-period", run.StdErr, StringComparison.Ordinal);
    }
}
