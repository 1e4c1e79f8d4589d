namespace ApiTokens.Tests.Commands;

/// <summary>
/// A host setting that ASP.NET's command-line configuration swallowed (it reads <c>/path --Key=value</c> or
/// <c>--flag --Key=value</c> as one setting) stops the command with a usage error instead of running against the default store.
/// </summary>
public sealed class TokensHostSettingsCommandTests
{
    [Theory]
    [InlineData("tokens", "create", "--user", "root", "--name", "x", "--full-access", "--ConnectionStrings:ApiTokens=Data Source=other.db")]
    [InlineData("tokens", "import-whm", "/var/cpanel/authn/api_tokens_v2/whostmgr/root.json", "--ConnectionStrings:ApiTokens=Data Source=other.db")]
    public async Task ASettingTheHostConfigurationTookAsAValue_IsAUsageError_AndNothingIsDone(params string[] args)
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("never reached the host", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("“--ConnectionStrings:ApiTokens=Data Source=other.db”", run.StdErr, StringComparison.Ordinal);
        Assert.Empty((await cli.Manager.ListAsync(cli.Account("root").Id)).Items);
    }

    [Theory]
    [InlineData("tokens", "create", "--user", "root", "--ConnectionStrings:ApiTokens=Data Source=t.db", "--name", "x", "--full-access")]
    [InlineData("tokens", "create", "--user", "root", "--name", "x", "--full-access", "--name=y", "--Logging:LogLevel:Default=Warning")]
    [InlineData("tokens", "create", "--user=root", "--name", "x", "--Logging:LogLevel:Default=Warning")]
    public async Task HostSettingsNotTakenAsAValue_RunTheCommand(params string[] args)
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync(args);

        Assert.DoesNotContain("never reached the host", run.StdErr, StringComparison.Ordinal);
    }
}
