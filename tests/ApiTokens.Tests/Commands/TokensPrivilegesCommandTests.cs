namespace ApiTokens.Tests.Commands;

/// <summary><c>tokens privileges</c>: the app's catalogue as the account can grant it, WHM's chart or the app's own.</summary>
public sealed class TokensPrivilegesCommandTests
{
    [Fact]
    public async Task Privileges_WithWhmsChart_ListsWhatTheAccountHolds()
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync("tokens", "privileges", "--user", "reseller");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["list-accts", "manage-api-tokens"], run.Lines.Select(l => l.Split('\t')[0]).Order(StringComparer.Ordinal));
        Assert.Contains(run.Lines, l => l.StartsWith("manage-api-tokens\t", StringComparison.Ordinal) && l.EndsWith("\tescalates", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Privileges_WithTheAppsOwnCatalogue_ShowsOnlyItsNames_AndCreateAcceptsThem()
    {
        await using var cli = new CommandHarness(b => b
            .ConfigureOptions(o =>
            {
                o.Privileges.Add(new("orders.read", "Orders", "See orders."));
                o.Privileges.Add(new("orders:write", "Orders", "Create and change orders.", Escalates: true));
            }));

        var run = await cli.RunAsync("tokens", "privileges", "--user", "root");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            ["orders.read\tOrders\tSee orders.", "orders:write\tOrders\tCreate and change orders.\tescalates"],
            run.Lines.Where(l => !l.StartsWith("all\t", StringComparison.Ordinal)));
        Assert.DoesNotContain(run.Lines, l => l.StartsWith("list-accts", StringComparison.Ordinal));
        Assert.Equal(0, (await cli.RunAsync("tokens", "create", "--user", "root", "--name", "orders", "--acl", "orders:write")).ExitCode);
        Assert.Equal(1, (await cli.RunAsync("tokens", "create", "--user", "root", "--name", "whm", "--acl", "list-accts")).ExitCode);
    }

    [Fact]
    public async Task Privileges_ForAnUnknownAccount_Exits1()
    {
        await using var cli = new CommandHarness();

        Assert.Equal(1, (await cli.RunAsync("tokens", "privileges", "--user", "nobody")).ExitCode);
    }
}
