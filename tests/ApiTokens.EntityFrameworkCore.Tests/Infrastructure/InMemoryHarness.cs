using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>The in-memory store: one instance plays the database, shared by every "connection".</summary>
public sealed class InMemoryHarness : StoreHarness
{
    private readonly InMemoryApiTokenStore _store = new();
    private readonly InMemoryApiTokenAuditStore _auditStore = new();

    public override void AddStore(ApiTokensBuilder builder) => builder.Services.AddSingleton<IApiTokenStore>(_store);

    public override async Task<IReadOnlyList<string>> ReadRawRowsAsync(string accountId)
    {
        var page = await _store.ListAsync(accountId, ApiTokenQuery.All, default);
        return page.Items
            .Select(t => string.Join(
                "|", t.Id, t.AccountId, t.Name, t.Selector, t.SecretHash, t.CreatedAt, t.ExpiresAt, t.ConcurrencyStamp,
                string.Join(",", t.Acls ?? []), string.Join(",", t.WhitelistIps ?? [])))
            .ToList();
    }

    protected override (IApiTokenStore Store, IAsyncDisposable? Owner) NewStore() => (_store, null);

    protected override (IApiTokenAuditStore Store, IAsyncDisposable? Owner) NewAuditStore() => (_auditStore, null);
}
