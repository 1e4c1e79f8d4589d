using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
namespace ApiTokens.Tests.Commands;

/// <summary><c>tokens create</c>: the token alone on the last line, the manager's rules as exit code 1, usage errors as 2.</summary>
public sealed class TokensCreateCommandTests
{
    [Theory]
    [InlineData]
    [InlineData("--urls=http://127.0.0.1:0")]
    [InlineData("serve", "tokens")]
    [InlineData("Tokens", "list", "--user", "root")]
    public async Task ArgsNotStartingWithTokens_ReturnNull_AndPrintNothing(params string[] args)
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync(args);

        Assert.Null(run.ExitCode);
        Assert.Equal(string.Empty, run.StdOut + run.StdErr);
    }

    [Fact]
    public async Task Create_PrintsTheTokenAloneOnTheLastLine_AndThatTokenIsTheAccounts()
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync("tokens", "create", "--user", "root", "--name", "bootstrap");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.Lines.Length);
        Assert.Equal("Created API token “bootstrap” for root (full access). Save it now: it is shown only once.", run.Lines[0]);
        Assert.Equal(string.Empty, run.StdErr);
        var stored = await cli.Manager.FindByPlaintextAsync(cli.Account("root").Id, run.LastLine);
        Assert.NotNull(stored);
        Assert.Equal("bootstrap", stored.Name);
        Assert.True(stored.HasFullAccess);
    }

    [Fact]
    public async Task Create_WithAclsExpiryAndAddresses_StoresThem()
    {
        await using var cli = new CommandHarness();
        var expires = ApiTokensTestHostBuilder.DefaultStart.AddDays(30).ToUnixTimeSeconds();

        var run = await cli.RunAsync(
            "tokens", "create", "--user", "reseller", "--name", "lister", "--acl", "list-accts", "--acl", "manage-api-tokens",
            "--expires-at", expires.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--whitelist-ip", "192.0.2.10", "--whitelist-ip", "198.51.100.0/24");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("(list-accts manage-api-tokens)", run.Lines[0], StringComparison.Ordinal);
        var stored = await cli.Manager.FindByNameAsync(cli.Account("reseller").Id, "lister");
        Assert.NotNull(stored);
        Assert.Equal(["list-accts", "manage-api-tokens"], stored.Acls!.Order(StringComparer.Ordinal));
        Assert.Equal(expires, stored.ExpiresAt!.Value.ToUnixTimeSeconds());
        Assert.Equal(["192.0.2.10", "198.51.100.0/24"], stored.WhitelistIps);
    }

    [Fact]
    public async Task Create_WithFullAccess_MakesAFullAccessToken()
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync("tokens", "create", "--user", "reseller", "--name", "all-of-it", "--full-access");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True((await cli.Manager.FindByNameAsync(cli.Account("reseller").Id, "all-of-it"))!.HasFullAccess);
    }

    [Fact]
    public async Task Create_WithAnAclTheAccountLacks_Exits1_WithTheManagersMessage_AndCreatesNothing()
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync("tokens", "create", "--user", "reseller", "--name", "greedy", "--acl", "kill-acct");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.StdOut);
        Assert.Equal(
            "Invalid or unauthorized ACL(s) specified: kill-acct. Choose only privileges that your account holds.",
            run.StdErr.Trim());
        Assert.Null(await cli.Manager.FindByNameAsync(cli.Account("reseller").Id, "greedy"));
    }

    [Theory]
    [InlineData("tokens", "create", "--user", "root", "--name", "bad name!")]
    [InlineData("tokens", "create", "--user", "suspended", "--name", "x")]
    [InlineData("tokens", "create", "--user", "root", "--name", "past", "--expires-at", "1000")]
    [InlineData("tokens", "create", "--user", "root", "--name", "x", "--whitelist-ip", "not-an-ip")]
    public async Task Create_BreakingATokenRule_Exits1_WithTheReasonOnStandardError(params string[] args)
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync(args);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.StdOut);
        Assert.NotEqual(string.Empty, run.StdErr.Trim());
    }

    [Fact]
    public async Task Create_ForAnUnknownAccount_Exits1_AndNamesIt()
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync("tokens", "create", "--user", "nobody", "--name", "x");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("The account “nobody” does not exist.", run.StdErr.Trim());
    }

    [Fact]
    public async Task Create_WhenTheAccountsCannotBeReached_Exits1_SayingTheStoreIsUnavailable()
    {
        await using var cli = new CommandHarness(b => b.UseAccounts(a => a.AddAccountProvider<UnreachableAccounts>()));

        var run = await cli.RunAsync("tokens", "create", "--user", "root", "--name", "x");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("The API token store is unavailable. Nothing was changed; try again later.", run.StdErr.Trim());
    }

    [Theory]
    [InlineData("Option '--name' is required.", "tokens", "create", "--user", "root")]
    [InlineData("Option '--user' is required.", "tokens", "create", "--name", "x")]
    [InlineData("Use either --acl or --full-access, not both.", "tokens", "create", "--user", "root", "--name", "x", "--acl", "list-accts", "--full-access")]
    [InlineData("--expires-at must be a Unix time in seconds", "tokens", "create", "--user", "root", "--name", "x", "--expires-at", "tomorrow")]
    [InlineData("--expires-at must be a Unix time in seconds", "tokens", "create", "--user", "root", "--name", "x", "--expires-at", "-5")]
    [InlineData("Unrecognized argument “--expire-at”", "tokens", "create", "--user", "root", "--name", "x", "--expire-at", "1893456000")]
    [InlineData("Unrecognized argument “extra”", "tokens", "create", "--user", "root", "--name", "x", "extra")]
    public async Task Create_WithAWrongCommandLine_Exits2_SaysWhatIsWrong_AndCreatesNothing(string expected, params string[] args)
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal(string.Empty, run.StdOut);
        Assert.Contains(expected, run.StdErr, StringComparison.Ordinal);
        Assert.Contains("Run 'tokens create --help' for usage.", run.StdErr, StringComparison.Ordinal);
        Assert.Empty((await cli.Manager.ListAsync(cli.Account("root").Id)).Items);
    }

    [Fact]
    public async Task Create_FollowedByHostConfiguration_InTheKeyValueForm_IgnoresIt()
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync(
            "tokens", "create", "--user", "root", "--name", "x", "--ConnectionStrings:ApiTokens=Data Source=/tmp/a.db", "--urls=http://127.0.0.1:0");

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    private sealed class UnreachableAccounts : IApiTokenAccountProvider
    {
        public ValueTask<ApiTokenAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken) =>
            throw new TimeoutException("The database did not answer.");

        public ValueTask<ApiTokenAccount?> FindByIdAsync(string accountId, CancellationToken cancellationToken) =>
            throw new TimeoutException("The database did not answer.");
    }

    [Theory]
    [InlineData("--ACL=list-accts", "--acl")]
    [InlineData("--Acl=list-accts", "--acl")]
    [InlineData("--whitelist-ips=10.0.0.1", "--whitelist-ip")]
    [InlineData("--expires=1893456000", "--expires-at")]
    [InlineData("--FullAccess=true", "--full-access")]
    public async Task Create_WithAMisspeltOptionInTheKeyValueForm_IsAUsageError_AndMakesNoToken(string misspelt, string option)
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync("tokens", "create", "--user", "root", "--name", "ci", "--acl", "list-accts", misspelt);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(option, run.StdErr, StringComparison.Ordinal);
        Assert.Null(await cli.Manager.FindByNameAsync(cli.Account("root").Id, "ci"));
    }

    [Fact]
    public async Task Create_WithHostConfigurationInTheKeyValueForm_StillRuns()
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync("tokens", "create", "--user", "root", "--name", "ci", "--Logging:LogLevel:Default=Debug");

        Assert.True(run.ExitCode == 0, run.ToString());
    }
}
