using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Leaks;

/// <summary>
/// Leak revocation over HTTP (a real Kestrel host): a reported live token is revoked at once and refused afterwards, in any
/// account, audited and passed to the host's handlers, while the answer is the same whatever was live.
/// </summary>
public sealed class LeakRevocationTests
{
    private const string Accepted1 = """{"received":1}""";

    [Fact]
    public async Task LiveToken_Reported_IsRevokedAndRefusedAfterwards()
    {
        await using var host = await LeakHost.StartAsync();
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        await host.WarmAsync("root", token.PlaintextToken);

        var answer = await host.ReportAsync(token.PlaintextToken);

        Assert.Equal(HttpStatusCode.Accepted, answer.Status);
        Assert.Equal(Accepted1, answer.Body);
        Assert.Equal("application/json; charset=utf-8", answer.ContentType);
        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("root", token.PlaintextToken));
        Assert.Null(await host.Host.Manager.FindByNameAsync(root.Id, "deploy"));
    }

    [Fact]
    public async Task Answer_IsTheSameForLiveDeadAndGarbageValues()
    {
        await using var host = await LeakHost.StartAsync();
        var root = host.Host.Accounts.Add("root", "all");
        var live = await host.Host.CreateTokenAsync(root, "live", ["list-accts"]);
        var revoked = await host.Host.CreateTokenAsync(root, "revoked");
        Assert.True((await host.Host.Manager.RevokeAsync(root.Id, "revoked")).Value);
        var neverIssued = new string('Q', 32);

        var answers = new[]
        {
            await host.ReportAsync(live.PlaintextToken, "garbage"),
            await host.ReportAsync(revoked.PlaintextToken, neverIssued),
            await host.ReportAsync("garbage", "not a token at all"),
        };

        Assert.All(answers, a => Assert.Equal(answers[0], a));
        Assert.Equal(HttpStatusCode.Accepted, answers[0].Status);
        Assert.Equal("""{"received":2}""", answers[0].Body);
        Assert.Equal("no-store", answers[0].CacheControl);
        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("root", live.PlaintextToken)); // and the live one is gone
    }

    [Fact]
    public async Task ValuesThatAreNotTokensOrMatchNoSelector_CostNoArgon2_AndOnlyFormattedOnesAreLookedUp()
    {
        // A prefix and a checksum, as docs/leaked-tokens.md recommends: a value with a wrong checksum is refused unread.
        await using var host = await LeakHost.StartAsync(options: o =>
        {
            o.Format.Prefix = "acme_";
            o.Format.Checksum = true;
        });
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        var value = token.PlaintextToken;
        var wrongChecksum = value[..^1] + (value[^1] == '0' ? '1' : '0');
        var otherSecretSameSelector = value[..13] + new string('0', 24) + value[^6..]; // the selector, another secret: its checksum fails
        host.Hasher.Reset();
        host.Store.Reset();

        var answer = await host.ReportAsync("garbage", value[5..], wrongChecksum, otherSecretSameSelector, "acme_", new string('A', 5000));

        Assert.Equal(HttpStatusCode.Accepted, answer.Status);
        Assert.Equal("""{"received":6}""", answer.Body);
        Assert.Equal(0, host.Store.LeakLookups);
        Assert.Equal(0, host.Hasher.VerifyCalls);

        // A well-formed value of a selector nobody has: one indexed lookup, still no Argon2.
        var format = new ApiTokenFormat(new ApiTokenFormatOptions { Prefix = "acme_", Checksum = true });
        var unknown = await host.Host.CreateTokenAsync(root, "unknown");
        Assert.True((await host.Host.Manager.RevokeAsync(root.Id, "unknown")).Value);
        Assert.True(format.TryParse(unknown.PlaintextToken, out _, out _));
        host.Hasher.Reset();

        Assert.Equal(HttpStatusCode.Accepted, (await host.ReportAsync(unknown.PlaintextToken)).Status);

        Assert.Equal(1, host.Store.LeakLookups);
        Assert.Equal(0, host.Hasher.VerifyCalls);
        Assert.Equal(HttpStatusCode.OK, await host.TryAsync("root", value));
    }

    [Fact]
    public async Task DuplicateValues_AreCountedButCheckedOnce()
    {
        await using var host = await LeakHost.StartAsync();
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "deploy");
        host.Hasher.Reset();

        var answer = await host.ReportAsync(token.PlaintextToken, token.PlaintextToken, token.PlaintextToken);

        Assert.Equal("""{"received":3}""", answer.Body);
        Assert.Equal(1, host.Store.LeakLookups);
        Assert.Equal(1, host.Hasher.VerifyCalls);
        Assert.Single(host.Recorder.Leaks);
    }

    [Fact]
    public async Task PreviousValue_Reported_EndsItsGraceButKeepsTheNewValue()
    {
        await using var host = await LeakHost.StartAsync();
        var root = host.Host.Accounts.Add("root", "all");
        var created = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        var rotated = await host.Host.Manager.RotateAsync(root.Id, "deploy", TimeSpan.FromHours(1));
        Assert.True(rotated.Succeeded, rotated.Error?.Message);
        Assert.NotNull((await host.Host.Manager.FindByNameAsync(root.Id, "deploy"))!.PreviousSelector);
        await host.WarmAsync("root", rotated.Value.PlaintextToken);

        var answer = await host.ReportAsync(created.PlaintextToken);

        Assert.Equal(Accepted1, answer.Body);
        var stored = await host.Host.Manager.FindByNameAsync(root.Id, "deploy");
        Assert.NotNull(stored);
        Assert.Equal(created.Token.Id, stored.Id);
        Assert.Equal(rotated.Value.Token.Selector, stored.Selector);
        Assert.Null(stored.PreviousSelector);
        Assert.Null(stored.PreviousSecretHash);
        Assert.Null(stored.PreviousSecretExpiresAt);
        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("root", created.PlaintextToken));
        Assert.Equal(HttpStatusCode.OK, await host.TryAsync("root", rotated.Value.PlaintextToken));

        var leak = Assert.Single(host.Recorder.Leaks);
        Assert.True(leak.PreviousValueOnly);
        var audited = Assert.Single(host.Recorder.LeakEvents);
        Assert.Equal(host.Host.Time.GetUtcNow().ToUnixTimeSeconds(), audited.ExpiresAt?.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task PreviousValue_AfterItsGraceEnded_IsNotCheckedAndChangesNothing()
    {
        await using var host = await LeakHost.StartAsync();
        var root = host.Host.Accounts.Add("root", "all");
        var created = await host.Host.CreateTokenAsync(root, "deploy");
        var rotated = await host.Host.Manager.RotateAsync(root.Id, "deploy", TimeSpan.FromMinutes(5));
        Assert.True(rotated.Succeeded, rotated.Error?.Message);
        host.Host.Time.Advance(TimeSpan.FromMinutes(6));
        host.Hasher.Reset();

        Assert.Equal(Accepted1, (await host.ReportAsync(created.PlaintextToken)).Body);

        Assert.Equal(0, host.Hasher.VerifyCalls);
        Assert.Empty(host.Recorder.Leaks);
        Assert.Equal(rotated.Value.Token.Selector, (await host.Host.Manager.FindByNameAsync(root.Id, "deploy"))!.Selector);
    }

    [Fact]
    public async Task Revocation_IsAuditedAsRevokedAsLeaked_WithoutTheReportersAddress_WhichOnlyTheLogHas()
    {
        await using var host = await LeakHost.StartAsync();
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "deploy");

        await host.ReportAsync(token.PlaintextToken);

        var audited = Assert.Single(host.Recorder.LeakEvents);
        Assert.Equal(root.Id, audited.AccountId);
        Assert.Equal("root", audited.UserName);
        Assert.Equal("deploy", audited.TokenName);
        Assert.Equal("leak-report", audited.Actor);
        Assert.Null(audited.RemoteAddress); // the owner reads the audit trail: a good-faith reporter's address is not theirs to see
        Assert.Null(audited.ExpiresAt);
        Assert.Contains(host.Host.Log.Lines, l => l.EventId == 2001 && l.Message.Contains("RevokedAsLeaked", StringComparison.Ordinal));
        Assert.DoesNotContain(token.PlaintextToken, host.Host.Log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Token.Selector, host.Host.Log.AllText, StringComparison.Ordinal);
        var handled = Assert.Single(host.Host.Log.Lines, l => l.EventId == 1701);
        Assert.Contains("1 tokens revoked", handled.Message, StringComparison.Ordinal);
        Assert.Contains("from 127.0.0.1", handled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordReporterAddress_PutsTheReportersAddressInTheAuditEvent()
    {
        await using var host = await LeakHost.StartAsync(o => o.RecordReporterAddress = true);
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "deploy");

        await host.ReportFromAsync("192.0.2.44", token.PlaintextToken);

        var audited = Assert.Single(host.Recorder.LeakEvents);
        Assert.Equal("leak-report", audited.Actor);
        Assert.Equal("192.0.2.44", audited.RemoteAddress);
    }

    [Fact]
    public async Task LeakHandlers_AreToldOfEachRevokedToken_AndAFailingOneChangesNothing()
    {
        // The failing handler is registered first: the one after it is still told.
        await using var host = await LeakHost.StartAsync(new ApiTokensTestHostBuilder().ConfigureApiTokens(t => t.AddLeakHandler<ThrowingLeakHandler>()));
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);

        var answer = await host.ReportAsync(token.PlaintextToken);

        Assert.Equal(HttpStatusCode.Accepted, answer.Status);
        var leak = Assert.Single(host.Recorder.Leaks);
        Assert.Equal("deploy", leak.Token.Name);
        Assert.Equal(token.Token.Id, leak.Token.Id);
        Assert.Equal("root", leak.Owner?.UserName);
        Assert.False(leak.PreviousValueOnly);
        Assert.Equal("127.0.0.1", leak.ReporterAddress);
        Assert.Equal(1, host.Host.Log.Count(1702));
        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("root", token.PlaintextToken));
    }

    [Fact]
    public async Task TokensOfTwoAccounts_AreBothRevoked_AndTheUnreportedOneStays()
    {
        await using var host = await LeakHost.StartAsync();
        var root = host.Host.Accounts.Add("root", "all");
        var reseller = host.Host.Accounts.Add("reseller", "list-accts");
        var rootToken = await host.Host.CreateTokenAsync(root, "ci", ["list-accts"]);
        var resellerToken = await host.Host.CreateTokenAsync(reseller, "ci", ["list-accts"]);
        var kept = await host.Host.CreateTokenAsync(reseller, "kept", ["list-accts"]);

        Assert.Equal("""{"received":2}""", (await host.ReportAsync(resellerToken.PlaintextToken, rootToken.PlaintextToken)).Body);

        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("root", rootToken.PlaintextToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("reseller", resellerToken.PlaintextToken));
        Assert.Equal(HttpStatusCode.OK, await host.TryAsync("reseller", kept.PlaintextToken));
        Assert.Equal(["reseller", "root"], host.Recorder.LeakEvents.Select(e => e.UserName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SameSelectorInTwoAccounts_OnlyTheTokenWhoseSecretMatchesIsRevoked()
    {
        await using var host = await LeakHost.StartAsync();
        var root = host.Host.Accounts.Add("root", "all");
        var reseller = host.Host.Accounts.Add("reseller", "list-accts");
        var token = await host.Host.CreateTokenAsync(root, "ci", ["list-accts"]);

        // Selectors are unique per account only: another account's token may share this one, with another secret.
        var otherSecret = new string('7', 24);
        var twin = token.Token with
        {
            Id = Guid.NewGuid(),
            AccountId = reseller.Id,
            SecretHash = host.Hasher.Hash(otherSecret),
            Acls = ["list-accts"],
            ConcurrencyStamp = "twin",
        };
        Assert.Equal(ApiTokenStoreResult.Success, await host.Store.CreateAsync(twin, CancellationToken.None));
        var twinValue = token.Token.Selector + otherSecret;
        Assert.Equal(HttpStatusCode.OK, await host.TryAsync("reseller", twinValue));
        host.Hasher.Reset();

        await host.ReportAsync(token.PlaintextToken);

        Assert.Equal(2, host.Hasher.VerifyCalls); // both candidates checked
        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("root", token.PlaintextToken));
        Assert.Equal(HttpStatusCode.OK, await host.TryAsync("reseller", twinValue));
        Assert.Equal("root", Assert.Single(host.Recorder.LeakEvents).UserName);
    }

    [Fact]
    public async Task ImportedCpanelToken_NotYetUsed_IsRevokedByItsDigestSelector()
    {
        await using var host = await LeakHost.StartAsync();
        var root = host.Host.Accounts.Add("root", "all");
        var value = new string('K', 32);
        var sha = LegacyTokens.Sha512Hex(value);
        var imported = new ApiToken
        {
            Id = Guid.NewGuid(),
            AccountId = root.Id,
            Name = "from-cpanel",
            Selector = LegacyTokens.SelectorForHash(sha),
            SecretHash = LegacyTokens.Sha512SecretHash(sha),
            CreatedAt = host.Host.Time.GetUtcNow(),
            ConcurrencyStamp = "imported",
        };
        Assert.Equal(ApiTokenStoreResult.Success, await host.Store.CreateAsync(imported, CancellationToken.None));
        await host.Host.Services.GetRequiredService<LegacyTokenIndex>().RefreshAsync();
        host.Hasher.Reset();

        Assert.Equal(Accepted1, (await host.ReportAsync(value)).Body);

        Assert.Null(await host.Host.Manager.FindByNameAsync(root.Id, "from-cpanel"));
        Assert.Equal(0, host.Hasher.VerifyCalls); // a SHA-512, no Argon2
        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("root", value));
        Assert.Equal("from-cpanel", Assert.Single(host.Recorder.LeakEvents).TokenName);
    }

    [Fact]
    public async Task ExpiredToken_Reported_IsRevokedToo()
    {
        await using var host = await LeakHost.StartAsync();
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "old", expiresAt: host.Host.Time.GetUtcNow().AddDays(1));
        host.Host.Time.Advance(TimeSpan.FromDays(2));

        await host.ReportAsync(token.PlaintextToken);

        Assert.Null(await host.Host.Manager.FindByNameAsync(root.Id, "old"));
    }
}
