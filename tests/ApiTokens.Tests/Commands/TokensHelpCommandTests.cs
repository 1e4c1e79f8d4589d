namespace ApiTokens.Tests.Commands;

/// <summary><c>--help</c> on every command, and a command line that names no command.</summary>
public sealed class TokensHelpCommandTests
{
    [Theory]
    [InlineData("tokens", "--user", "create", "list", "revoke", "rotate", "audit", "privileges")]
    [InlineData("tokens create", "--user", "--name", "--acl", "--full-access", "--expires-at", "--whitelist-ip")]
    [InlineData("tokens list", "--user")]
    [InlineData("tokens revoke", "--user", "--name")]
    [InlineData("tokens rotate", "--user", "--name", "--grace-period", "SECONDS|TIMESPAN")]
    [InlineData("tokens audit", "--user", "--since", "--until", "--skip", "--take", "--json")]
    [InlineData("tokens privileges", "--user")]
    public async Task Help_OnEachCommand_Exits0_ListingItsOptionsAndTheExitCodes(string command, params string[] expected)
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync([.. command.Split(' '), "--help"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(string.Empty, run.StdErr);
        Assert.Contains("Exit codes:\n  0  done\n  1  refused", run.StdOut.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("2  usage error", run.StdOut, StringComparison.Ordinal);
        foreach (var word in expected.Where(e => e != "--user" || command != "tokens"))
        {
            Assert.Contains(word, run.StdOut, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("tokens")]
    [InlineData("tokens", "delete", "--user", "root")]
    public async Task Tokens_WithoutAKnownCommand_Exits2(params string[] args)
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal(string.Empty, run.StdOut);
        Assert.Contains("Run 'tokens --help' for usage.", run.StdErr, StringComparison.Ordinal);
    }
}
