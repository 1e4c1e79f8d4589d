using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Audit;

/// <summary>
/// With an audit store registered, every manager action is stored exactly once, saying who did what to which token of which
/// account, when and from where; nothing secret is ever in it; and a failing audit store never undoes or fails the change.
/// </summary>
public sealed class AuditTrailTests : IAsyncDisposable
{
    private static readonly ApiTokenActor Admin = new("admin", "198.51.100.7");

    private ApiTokensTestServices? _services;
    private ApiTokenAccount _root = null!;

    private ApiTokensTestServices Services => _services!;

    private InMemoryApiTokenAuditStore Audit => Services.Services.GetRequiredService<InMemoryApiTokenAuditStore>();

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    private ApiTokensTestServices Build(Action<ApiTokensTestHostBuilder>? configure = null)
    {
        var builder = new ApiTokensTestHostBuilder()
            .SeedAccounts(a => _root = a.Add("root", "all"))
            .ConfigureApiTokens(b => b.AddInMemoryAuditStore());
        configure?.Invoke(builder);
        _services = builder.BuildServices();
        return _services;
    }

    private async Task<CreatedApiToken> CreateAsync(string name, DateTimeOffset? expiresAt = null)
    {
        var result = await Services.Manager.CreateAsync(_root.Id, new ApiTokenCreateRequest { Name = name, Acls = ["list-accts"], ExpiresAt = expiresAt }, Admin);
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }

    [Fact]
    public async Task Create_IsStoredOnce_WithWhoWhichAccountWhichTokenWhenAndFromWhere()
    {
        Build();
        await CreateAsync("deploy");

        var stored = Assert.Single(Audit.Events);
        Assert.Equal(
            new ApiTokenAuditEvent(ApiTokenAuditAction.Created, _root.Id, "root", "deploy", null, ApiTokensTestHostBuilder.DefaultStart, "admin", "198.51.100.7"),
            stored);
        Assert.Null(stored.ChangedFields);
        Assert.Null(stored.ExpiresAt);
    }

    [Fact]
    public async Task Update_IsStoredOnce_WithTheChangedFieldsByTheirWhmNames()
    {
        Build();
        await CreateAsync("deploy");
        Services.Time.Advance(TimeSpan.FromMinutes(1));

        var update = await Services.Manager.UpdateAsync(
            _root.Id, "deploy", new ApiTokenUpdateRequest { NewName = "ci", ExpiresAt = Services.Time.GetUtcNow().AddDays(30), WhitelistIps = ["10.0.0.0/8"] }, Admin);
        Assert.True(update.Succeeded, update.Error?.Message);
        var onlyAcls = await Services.Manager.UpdateAsync(_root.Id, "ci", new ApiTokenUpdateRequest { Acls = ["list-accts", "create-acct"] }, Admin);
        Assert.True(onlyAcls.Succeeded, onlyAcls.Error?.Message);

        var events = Audit.Events;
        Assert.Equal([ApiTokenAuditAction.Created, ApiTokenAuditAction.Updated, ApiTokenAuditAction.Updated], events.Select(e => e.Action));
        var renamed = events[1];
        Assert.Equal(("deploy", "ci", "admin", "198.51.100.7"), (renamed.TokenName, renamed.NewTokenName, renamed.Actor, renamed.RemoteAddress));
        Assert.Equal(["name", "expires_at", "whitelist_ips"], renamed.ChangedFields!);
        Assert.Equal(ApiTokensTestHostBuilder.DefaultStart.AddMinutes(1), renamed.Time);
        Assert.Equal(("ci", (string?)null), (events[2].TokenName, events[2].NewTokenName));
        Assert.Equal(["acls"], events[2].ChangedFields!);
        Assert.Contains(
            "API token audit: Updated user root token deploy new name ci by admin from 198.51.100.7 changed name,expires_at,whitelist_ips expires -",
            Services.Log.Lines.Where(l => l.EventId == 2001).Select(l => l.Message));
    }

    [Fact]
    public async Task Rotate_IsStoredOnce_WithWhenThePreviousValueStopsWorking()
    {
        Build();
        await CreateAsync("deploy");

        var rotated = await Services.Manager.RotateAsync(_root.Id, "deploy", TimeSpan.FromHours(2), Admin);
        Assert.True(rotated.Succeeded, rotated.Error?.Message);
        var atOnce = await Services.Manager.RotateAsync(_root.Id, "deploy", TimeSpan.Zero, Admin);
        Assert.True(atOnce.Succeeded, atOnce.Error?.Message);

        var events = Audit.Events;
        Assert.Equal([ApiTokenAuditAction.Created, ApiTokenAuditAction.Rotated, ApiTokenAuditAction.Rotated], events.Select(e => e.Action));
        Assert.Equal(("deploy", "root", "admin", "198.51.100.7"), (events[1].TokenName, events[1].UserName, events[1].Actor, events[1].RemoteAddress));
        Assert.Equal(ApiTokensTestHostBuilder.DefaultStart.AddHours(2), events[1].ExpiresAt);
        Assert.Equal(rotated.Value.PreviousTokenExpiresAt, events[1].ExpiresAt);
        Assert.Equal(ApiTokensTestHostBuilder.DefaultStart, events[2].ExpiresAt);
        Assert.Contains(
            "API token audit: Rotated user root token deploy new name - by admin from 198.51.100.7 changed - expires 2026-01-15T12:30:00Z",
            Services.Log.Lines.Where(l => l.EventId == 2001).Select(l => l.Message));
    }

    [Fact]
    public async Task Revoke_AndRevokeAll_AreStoredOnceEach()
    {
        Build();
        await CreateAsync("a");
        await CreateAsync("b");
        await CreateAsync("c");

        Assert.True((await Services.Manager.RevokeAsync(_root.Id, ["a", "ghost"], Admin)).Succeeded);
        Assert.Equal(2, (await Services.Manager.RevokeAllAsync(_root.Id, Admin)).Value);

        var events = Audit.Events;
        Assert.Equal(
            [ApiTokenAuditAction.Created, ApiTokenAuditAction.Created, ApiTokenAuditAction.Created, ApiTokenAuditAction.Revoked, ApiTokenAuditAction.RevokedAll],
            events.Select(e => e.Action));
        Assert.Equal(("a", _root.Id, "admin"), (events[3].TokenName, events[3].AccountId, events[3].Actor));
        Assert.Equal(((string?)null, "root", "198.51.100.7"), (events[4].TokenName, events[4].UserName, events[4].RemoteAddress));
    }

    [Fact]
    public async Task ImportedTokens_AndAConvertedAccessHash_AreStoredAsImported()
    {
        Build();
        var file = new CpanelTokenFile().Add("legacy-1").Add("legacy-2", ["list-accts"]);
        var entries = WhmTokenFile.Parse(Encoding.UTF8.GetBytes(file.ToJson()), "root.json");
        Assert.True(entries.Succeeded, entries.Error?.Message);
        var importer = Services.ScopedServices.GetRequiredService<LegacyTokenImporter>();

        var imported = await importer.ImportAsync(_root.Id, entries.Value, Admin, CancellationToken.None);
        Assert.True(imported.Succeeded, imported.Error?.Message);
        var converted = await importer.ConvertAccessHashAsync(_root.Id, ApiTokens.Tests.Legacy.ConvertAccessHashTests.NewAccessHash(), Admin, CancellationToken.None);
        Assert.True(converted.Succeeded, converted.Error?.Message);

        var events = Audit.Events;
        Assert.All(events, e => Assert.Equal((ApiTokenAuditAction.Imported, "admin", "198.51.100.7"), (e.Action, e.Actor, e.RemoteAddress)));
        Assert.Equal(["legacy-1", "legacy-2", converted.Value.Name], events.Select(e => e.TokenName!));
    }

    [Fact]
    public async Task NoStoredEvent_HoldsAnyTokenValue_HashOrSelector()
    {
        Build();
        var created = await CreateAsync("deploy", ApiTokensTestHostBuilder.DefaultStart.AddDays(3));
        var secrets = new List<string> { created.PlaintextToken, created.Token.SecretHash, created.Token.Selector };
        var rotated = await Services.Manager.RotateAsync(_root.Id, "deploy", TimeSpan.FromHours(1), Admin);
        Assert.True(rotated.Succeeded, rotated.Error?.Message);
        secrets.AddRange([rotated.Value.PlaintextToken, rotated.Value.Token.SecretHash, rotated.Value.Token.Selector]);
        Assert.True((await Services.Manager.UpdateAsync(_root.Id, "deploy", new ApiTokenUpdateRequest { NewName = "ci" }, Admin)).Succeeded);
        Assert.True((await Services.Manager.RevokeAsync(_root.Id, "ci", Admin)).Succeeded);

        var events = (await Services.Manager.QueryAuditAsync(new ApiTokenAuditQuery { AccountId = _root.Id })).Events;
        Assert.Equal(4, events.Count);
        var json = JsonSerializer.Serialize(events);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
            foreach (var e in events)
            {
                Assert.DoesNotContain(secret, e.ToString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task QueryAudit_ThroughTheManager_ReadsTheStoredEventsNewestFirst()
    {
        Build();
        await CreateAsync("a");
        Services.Time.Advance(TimeSpan.FromSeconds(1));
        await CreateAsync("b");

        Assert.True(Services.Manager.HasAuditTrail);
        var page = await Services.Manager.QueryAuditAsync(new ApiTokenAuditQuery { AccountId = _root.Id, Take = 1 });

        Assert.Equal("b", Assert.Single(page.Events).TokenName);
        Assert.Equal(2, page.TotalCount);
    }

    [Fact]
    public async Task FailingAuditStore_NeverFailsTheChange_IsLoggedOncePerKind_AndTheLossIsCountedWhenItWorksAgain()
    {
        var state = new AuditStoreSwitch { Fault = () => new TimeoutException("audit database down") };
        Build(b => b.ConfigureServices(s =>
        {
            s.AddSingleton(state);
            s.AddScoped<IApiTokenAuditStore>(sp => new FailingAuditStore(state, sp.GetRequiredService<InMemoryApiTokenAuditStore>()));
        }));

        var first = await CreateAsync("a");
        await CreateAsync("b");
        state.Fault = () => new InvalidOperationException("audit table missing");
        await CreateAsync("c");
        await CreateAsync("d");
        Assert.True((await Services.Manager.RevokeAsync(_root.Id, "a", Admin)).Succeeded);
        state.Fault = null;
        await CreateAsync("e");

        Assert.Equal(4, (await Services.Manager.ListAsync(_root.Id)).Items.Count); // every change stands
        Assert.NotNull(await Services.Manager.FindByPlaintextAsync(_root.Id, (await CreateAsync("f")).PlaintextToken));
        Assert.Equal(["e", "f"], Audit.Events.Select(e => e.TokenName!));
        var failures = Services.Log.Lines.Where(l => l.EventId == 1601).ToList();
        Assert.Equal(2, failures.Count); // one per kind of fault, not one per event
        Assert.Contains("TimeoutException", failures[0].Exception, StringComparison.Ordinal);
        Assert.Contains("Created of user root token a", failures[0].Message, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", failures[1].Exception, StringComparison.Ordinal);
        var resumed = Assert.Single(Services.Log.Lines, l => l.EventId == 1602);
        Assert.Contains("5 events were not stored", resumed.Message, StringComparison.Ordinal);
        Assert.Equal(7, Services.Log.Count(2001)); // the log still has every event
        Assert.DoesNotContain(first.PlaintextToken, Services.Log.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerCancellingAfterTheChange_StillGetsItsEventStored()
    {
        using var hangUp = new CancellationTokenSource();
        Build(b => b.WrapStore((_, inner) => new CancelAfterCreateStore(inner, hangUp)));

        try
        {
            await Services.Manager.CreateAsync(_root.Id, new ApiTokenCreateRequest { Name = "deploy" }, Admin, hangUp.Token);
        }
        catch (OperationCanceledException)
        {
            // the caller went away; what matters is what was stored
        }

        Assert.NotNull(await Services.Store.FindByNameAsync(_root.Id, "deploy", CancellationToken.None));
        Assert.Equal("deploy", Assert.Single(Audit.Events).TokenName);
    }

    /// <summary>Cancels the caller's token right after a create is stored, as a client hanging up at that moment would.</summary>
    private sealed class CancelAfterCreateStore(IApiTokenStore inner, CancellationTokenSource hangUp) : IApiTokenStore
    {
        public async Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken)
        {
            var result = await inner.CreateAsync(token, cancellationToken);
            await hangUp.CancelAsync();
            return result;
        }

        public Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken) =>
            inner.FindBySelectorAsync(accountId, selector, cancellationToken);

        public Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken) =>
            inner.FindByNameAsync(accountId, name, cancellationToken);

        public Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken) =>
            inner.ListAsync(accountId, query, cancellationToken);

        public Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken) =>
            inner.UpdateAsync(token, expectedConcurrencyStamp, cancellationToken);

        public Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken) => inner.DeleteAsync(accountId, tokenId, cancellationToken);

        public Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken) => inner.DeleteAllAsync(accountId, cancellationToken);
    }
}
