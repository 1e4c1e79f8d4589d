using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ApiTokens.Tests.Expiry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MyApp;

namespace ApiTokens.Tests.Audit;

/// <summary>
/// docs/audit-and-expiry.md says what the library does: its captured audit trail is what <c>tokens audit</c> prints after the
/// actions it lists, and its mail handler is a file of this project (so it compiles) that mails the owner once.
/// </summary>
public sealed partial class AuditDocsTests
{
    private static readonly Lazy<string> Docs = new(() =>
        File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "audit-and-expiry.md")).ReplaceLineEndings("\n"));

    [Fact]
    public void MailHandlerInTheDocs_IsThisProjectsFile()
    {
        const string path = "tests/ApiTokens.Tests/Expiry/MailOwnerSnippet.cs";
        var file = File.ReadAllText(Path.Combine(RepositoryRoot(), path)).ReplaceLineEndings("\n");

        Assert.Equal(file.TrimEnd('\n'), BlockAfter($"<!-- snippet: {path} -->"));
    }

    [Fact]
    public async Task MailHandlerInTheDocs_MailsTheOwnerOnce()
    {
        var mailer = new RecordingMailer();
        await using var services = new ApiTokensTestHostBuilder()
            .SeedAccounts(a => a.Set(new ApiTokenAccount("1001", "bob", false, ["all"])))
            .ConfigureApiTokens(b => b.AddExpiryWarningHandler<MailOwnerBeforeExpiry>())
            .ConfigureServices(s => s.AddSingleton<IUserMailer>(mailer))
            .BuildServices();
        var bob = (await services.Accounts.FindByIdAsync("1001", CancellationToken.None))!;
        await services.CreateTokenAsync(bob, "deploy", expiresAt: ApiTokensTestHostBuilder.DefaultStart.AddDays(5));

        await services.ExpiryService().RunOnceAsync(CancellationToken.None);
        await services.ExpiryService().RunOnceAsync(CancellationToken.None);

        var (to, subject, body) = Assert.Single(mailer.Sent);
        Assert.Equal("bob", to);
        Assert.Equal("Your API token \"deploy\" expires on 2026-01-20 10:30 UTC", subject);
        Assert.Contains("tokens rotate --user bob --name deploy", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CapturedAuditTrail_IsWhatTokensAuditPrints_AfterTheActionsTheDocsList()
    {
        await using var host = await new ApiTokensTestHostBuilder()
            .SeedAccounts(a => a.Set(new ApiTokenAccount("1001", "bob", false, ["all"])))
            .ConfigureApiTokens(b => b.AddInMemoryAuditStore())
            .StartAsync();
        var bob = new ApiTokenActor("bob", "203.0.113.5");
        var start = ApiTokensTestHostBuilder.DefaultStart;

        // The actions the docs list, a minute apart, as the page or the WHM API would ask for them.
        Assert.True((await host.Manager.CreateAsync("1001", new ApiTokenCreateRequest { Name = "deploy", Acls = ["list-accts"], ExpiresAt = start.AddDays(5) }, bob)).Succeeded);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await host.Manager.UpdateAsync("1001", "deploy", new ApiTokenUpdateRequest { Acls = ["list-accts", "create-acct"], WhitelistIps = ["198.51.100.0/24"] }, bob)).Succeeded);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await host.Manager.RotateAsync("1001", "deploy", TimeSpan.FromHours(1), bob)).Succeeded);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await host.Services.GetServices<IHostedService>().OfType<ExpiryWarningService>().Single().RunOnceAsync(CancellationToken.None));
        host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await host.Manager.RevokeAsync("1001", "deploy", bob)).Succeeded);

        var json = await CliAsync(host, "tokens", "audit", "--user", "bob", "--json");
        var text = await CliAsync(host, "tokens", "audit", "--user", "bob");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(BlockAfter("<!-- captured: tokens audit --json -->")), JsonNode.Parse(json)), json);
        Assert.Equal(BlockAfter("<!-- captured: tokens audit -->"), text.TrimEnd('\n'));
    }

    private static async Task<string> CliAsync(ApiTokensTestHost host, params string[] args)
    {
        using var input = new StringReader(string.Empty);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await host.App.RunApiTokensCommandsAsync(args, input, stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        return stdout.ToString().ReplaceLineEndings("\n");
    }

    private static string BlockAfter(string marker)
    {
        var docs = Docs.Value;
        var at = docs.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"docs/audit-and-expiry.md has no {marker} line.");
        var block = CodeBlock().Match(docs, at);
        Assert.True(block.Success && block.Index == at + marker.Length + 1, $"no code block right after {marker}");
        return block.Groups["body"].Value;
    }

    [GeneratedRegex(@"```[a-z]*\n(?<body>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ApiTokens.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ApiTokens.sln was not found above " + AppContext.BaseDirectory);
    }

    private sealed class RecordingMailer : IUserMailer
    {
        public List<(string To, string Subject, string Body)> Sent { get; } = [];

        public Task SendAsync(string userName, string subject, string body, CancellationToken cancellationToken)
        {
            lock (Sent)
            {
                Sent.Add((userName, subject, body));
            }

            return Task.CompletedTask;
        }
    }
}
