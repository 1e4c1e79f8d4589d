using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ApiTokens.Tests.Commands;

/// <summary><c>tokens audit</c>: the stored audit trail, newest first, filtered by account and time, paged, as text or JSON.</summary>
public sealed class TokensAuditCommandTests
{
    private static readonly string Actor = "by cli:" + Environment.UserName;

    private static CommandHarness WithAuditStore() => new(b => b.ConfigureApiTokens(t => t.AddInMemoryAuditStore()));

    /// <summary>root creates deploy at 10:30, rotates it at 10:31 (grace 1 h), renames it at 10:32; reseller creates ci at 10:33.</summary>
    private static async Task SeedAsync(CommandHarness cli)
    {
        Assert.Equal(0, (await cli.RunAsync("tokens", "create", "--user", "root", "--name", "deploy")).ExitCode);
        cli.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await cli.RunAsync("tokens", "rotate", "--user", "root", "--name", "deploy", "--grace-period", "3600")).ExitCode);
        cli.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await cli.Manager.UpdateAsync(cli.Account("root").Id, "deploy", new ApiTokenUpdateRequest { NewName = "deploy2", Acls = ["list-accts"] },
            new ApiTokenActor("admin", "192.0.2.1"))).Succeeded);
        cli.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await cli.RunAsync("tokens", "create", "--user", "reseller", "--name", "ci")).ExitCode);
    }

    [Fact]
    public async Task Audit_PrintsEveryEvent_NewestFirst_OneTabSeparatedLineEach()
    {
        await using var cli = WithAuditStore();
        await SeedAsync(cli);

        var run = await cli.RunAsync("tokens", "audit");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            [
                $"2026-01-15T10:33:00Z\tcreated\treseller\tci\t-\t{Actor}\tfrom local",
                "2026-01-15T10:32:00Z\tupdated\troot\tdeploy\tnew name deploy2; changed name,acls\tby admin\tfrom 192.0.2.1",
                $"2026-01-15T10:31:00Z\trotated\troot\tdeploy\told value until 2026-01-15T11:31:00Z\t{Actor}\tfrom local",
                $"2026-01-15T10:30:00Z\tcreated\troot\tdeploy\t-\t{Actor}\tfrom local",
            ],
            run.Lines);
        Assert.Equal(string.Empty, run.StdErr);
    }

    [Fact]
    public async Task Audit_ForOneAccount_BetweenTwoTimes_ShowsOnlyThose()
    {
        await using var cli = WithAuditStore();
        await SeedAsync(cli);

        var byUser = await cli.RunAsync("tokens", "audit", "--user", "reseller");
        var window = await cli.RunAsync("tokens", "audit", "--user", "root", "--since", "2026-01-15T10:31:00Z", "--until", "1768473120");

        Assert.True(byUser.ExitCode == 0, byUser.ToString());
        Assert.Equal($"2026-01-15T10:33:00Z\tcreated\treseller\tci\t-\t{Actor}\tfrom local", Assert.Single(byUser.Lines));
        Assert.True(window.ExitCode == 0, window.ToString());
        Assert.StartsWith("2026-01-15T10:31:00Z\trotated\troot", Assert.Single(window.Lines), StringComparison.Ordinal); // until is exclusive
    }

    [Fact]
    public async Task Audit_Paged_SaysOnStandardErrorHowToSeeOlderEvents()
    {
        await using var cli = WithAuditStore();
        await SeedAsync(cli);

        var first = await cli.RunAsync("tokens", "audit", "--take", "2");
        var second = await cli.RunAsync("tokens", "audit", "--take", "2", "--skip", "2");

        Assert.Equal(2, first.Lines.Length);
        Assert.StartsWith("2026-01-15T10:33:00Z", first.Lines[0], StringComparison.Ordinal);
        Assert.Equal("Showing 2 of 4 events; run again with --skip 2 for older ones.", first.StdErr.Trim());
        Assert.Equal(2, second.Lines.Length);
        Assert.StartsWith("2026-01-15T10:31:00Z", second.Lines[0], StringComparison.Ordinal);
        Assert.Equal(string.Empty, second.StdErr);
    }

    [Fact]
    public async Task Audit_AsJson_IsOneObjectWithTheEventsAndTheTotal()
    {
        await using var cli = WithAuditStore();
        await SeedAsync(cli);

        var run = await cli.RunAsync("tokens", "audit", "--user", "root", "--take", "2", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.StdOut);
        Assert.Equal(3, doc.RootElement.GetProperty("total_count").GetInt32());
        var events = doc.RootElement.GetProperty("events").EnumerateArray().ToArray();
        Assert.Equal(2, events.Length);
        Assert.Equal(
            $$$"""{"time":1768473120,"action":"updated","account_id":"{{{cli.Account("root").Id}}}","user":"root","token_name":"deploy","new_token_name":"deploy2","changed_fields":["name","acls"],"expires_at":null,"actor":"admin","remote_address":"192.0.2.1"}""",
            events[0].GetRawText());
        Assert.Equal("rotated", events[1].GetProperty("action").GetString());
        Assert.Equal(1768476660, events[1].GetProperty("expires_at").GetInt64());
        Assert.Equal(JsonValueKind.Null, events[1].GetProperty("changed_fields").ValueKind);
        Assert.Equal(string.Empty, run.StdErr);
    }

    [Fact]
    public async Task Audit_WithoutAnAuditStore_Exits1_SayingHowToAddOne()
    {
        await using var cli = new CommandHarness();

        var run = await cli.RunAsync("tokens", "audit");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.StdOut);
        Assert.StartsWith("No audit store is registered: call AddInMemoryAuditStore()", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_ForAnUnknownAccount_Exits1()
    {
        await using var cli = WithAuditStore();

        var run = await cli.RunAsync("tokens", "audit", "--user", "nobody");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("The account “nobody” does not exist.", run.StdErr.Trim());
    }

    [Fact]
    public async Task Audit_WhenTheAuditStoreIsDown_Exits1_WithTheStoreMessage()
    {
        await using var cli = new CommandHarness(b => b.ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton<IApiTokenAuditStore, DownAuditStore>())));

        var run = await cli.RunAsync("tokens", "audit");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(ApiTokenErrors.StoreUnavailable.Message, run.StdErr.Trim());
    }

    [Theory]
    [InlineData("--since", "yesterday", "--since must be a Unix time in seconds (1768473000) or an ISO 8601 date and time (2026-01-15T10:30:00Z), not “yesterday”.")]
    [InlineData("--until", "", "--until must be a Unix time in seconds (1768473000) or an ISO 8601 date and time (2026-01-15T10:30:00Z), not “”.")]
    [InlineData("--take", "0", "--take must be a whole number from 1 to 500, not “0”.")]
    [InlineData("--take", "501", "--take must be a whole number from 1 to 500, not “501”.")]
    [InlineData("--skip", "-1", "--skip must be a whole number from 0, not “-1”.")]
    public async Task Audit_AValueThatCannotBeRead_IsAUsageError(string option, string value, string message)
    {
        await using var cli = WithAuditStore();

        var run = await cli.RunAsync("tokens", "audit", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.StdErr, StringComparison.Ordinal);
        Assert.Contains("Run 'tokens audit --help' for usage.", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_SinceNotBeforeUntil_IsAUsageError()
    {
        await using var cli = WithAuditStore();

        var run = await cli.RunAsync("tokens", "audit", "--since", "1768473000", "--until", "1768473000");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--since must be before --until.", run.StdErr, StringComparison.Ordinal);
    }

    private sealed class DownAuditStore : IApiTokenAuditStore
    {
        public Task AppendAsync(ApiTokenAuditEvent auditEvent, CancellationToken cancellationToken) => throw Down();

        public Task<ApiTokenAuditPage> QueryAsync(ApiTokenAuditQuery query, CancellationToken cancellationToken) => throw Down();

        public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => throw Down();

        private static TimeoutException Down() => new("Simulated: the audit database is unreachable.");
    }
}
