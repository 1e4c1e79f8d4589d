using System.Net;

namespace ApiTokens.Tests.Legacy;

/// <summary>
/// A revoke or an edit made elsewhere (another process: the CLI, another node without a backplane) that lands while an imported
/// token's first use upgrades it: the request is judged on the row stored now, and nothing stale is cached.
/// </summary>
public sealed class UpgradeRaceTests
{
    [Fact]
    public async Task ARevokeJustBeforeTheUpgradeWrite_RefusesTheRequest_AndTheNextOne()
    {
        InterferingStore? store = null;
        await using var host = await LegacyHost.StartAsync(b => b.WrapStore((_, inner) => store = new InterferingStore(inner)));
        var file = new CpanelTokenFile().Add("deploy");
        Assert.Equal(0, (await host.CliAsync(null, "tokens", "import-whm", file.WriteTo("root.json"))).ExitCode);
        var unknown = await ImportWhmHttpTests.ObserveAsync(host, "whm root:" + CpanelTokenFile.NewToken());
        store!.BeforeUpdate = (inner, row) => inner.DeleteAsync(row.AccountId, row.Id, CancellationToken.None);

        var first = await ImportWhmHttpTests.ObserveAsync(host, "whm root:" + file["deploy"]);
        var second = await ImportWhmHttpTests.ObserveAsync(host, "whm root:" + file["deploy"]);

        Assert.Equal(unknown, first);
        Assert.Equal(unknown, second);
        Assert.Empty(await host.RowsAsync(host.Root.Id));
    }

    [Fact]
    public async Task AnEditJustBeforeTheUpgradeWrite_IsWhatTheRequestGets()
    {
        InterferingStore? store = null;
        await using var host = await LegacyHost.StartAsync(b => b.WrapStore((_, inner) => store = new InterferingStore(inner)));
        var file = new CpanelTokenFile().Add("deploy", acls: ["all"]);
        Assert.Equal(0, (await host.CliAsync(null, "tokens", "import-whm", file.WriteTo("root.json"))).ExitCode);
        store!.BeforeUpdate = (inner, row) => inner.UpdateAsync(
            row with { Acls = ["list-accts"], ConcurrencyStamp = Guid.NewGuid().ToString("N") }, row.ConcurrencyStamp, CancellationToken.None);

        using var killed = await host.GetAsync("/json-api/killacct", "whm root:" + file["deploy"]);
        using var listed = await host.GetAsync("/json-api/listaccts", "whm root:" + file["deploy"]);

        Assert.Equal(HttpStatusCode.Forbidden, killed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var row = Assert.Single(await host.RowsAsync(host.Root.Id));
        Assert.Equal(["list-accts"], row.Acls);
        Assert.StartsWith("$argon2id$", row.SecretHash, StringComparison.Ordinal);
        Assert.Equal(file["deploy"][..8], row.Selector);
    }

    /// <summary>Runs <see cref="BeforeUpdate"/> (once) on the inner store just before the first update reaches it.</summary>
    private sealed class InterferingStore(IApiTokenStore inner) : IApiTokenStore
    {
        private Func<IApiTokenStore, ApiToken, Task>? _beforeUpdate;

        public Func<IApiTokenStore, ApiToken, Task>? BeforeUpdate
        {
            get => Volatile.Read(ref _beforeUpdate);
            set => Volatile.Write(ref _beforeUpdate, value);
        }

        public async Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _beforeUpdate, null) is { } interfere)
            {
                await interfere(inner, (await inner.FindByNameAsync(token.AccountId, token.Name, cancellationToken))!);
            }

            return await inner.UpdateAsync(token, expectedConcurrencyStamp, cancellationToken);
        }

        public Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken) => inner.CreateAsync(token, cancellationToken);

        public Task<ApiTokenStoreResult> CreateManyAsync(IReadOnlyList<ApiToken> tokens, CancellationToken cancellationToken) =>
            inner.CreateManyAsync(tokens, cancellationToken);

        public Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken) =>
            inner.FindBySelectorAsync(accountId, selector, cancellationToken);

        public Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken) =>
            inner.FindByNameAsync(accountId, name, cancellationToken);

        public Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken) =>
            inner.ListAsync(accountId, query, cancellationToken);

        public Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken) => inner.DeleteAsync(accountId, tokenId, cancellationToken);

        public Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken) => inner.DeleteAllAsync(accountId, cancellationToken);

        public Task<bool> AnySelectorStartsWithAsync(string prefix, CancellationToken cancellationToken) =>
            inner.AnySelectorStartsWithAsync(prefix, cancellationToken);
    }
}
