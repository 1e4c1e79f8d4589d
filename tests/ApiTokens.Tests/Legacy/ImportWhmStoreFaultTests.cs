using System.Net;

namespace ApiTokens.Tests.Legacy;

/// <summary>
/// <c>tokens import-whm</c> over a store that fails half-way (a custom store with the interface's default
/// <see cref="IApiTokenStore.CreateManyAsync"/>): undone when the store lets it, and otherwise said exactly, never "nothing changed".
/// </summary>
public sealed class ImportWhmStoreFaultTests
{
    [Fact]
    public async Task AStoreThatFailsOnTheSecondToken_AndOnTheUndo_LeavesTheFirstStored_AndTheCliSaysSo()
    {
        FailingStore? failing = null;
        await using var host = await LegacyHost.StartAsync(b => b.WrapStore((_, inner) => failing = new FailingStore(inner)));
        var file = new CpanelTokenFile().Add("a").Add("b", acls: ["list-accts"]).Add("c", acls: ["list-accts"]);
        failing!.FailCreateNumber = 2;
        failing.FailDeletes = true;

        var (code, stdout, stderr) = await host.CliAsync(null, "tokens", "import-whm", file.WriteTo("root.json"));

        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(
            "The store failed while importing and could not remove what it had stored, so these tokens of the file are stored and work: a. Revoke them, or remove them from the file and import the rest again.",
            stderr.Trim());
        Assert.Equal(["a"], (await host.RowsAsync(host.Root.Id)).Select(t => t.Name));
        Assert.Single(host.Host.Log.Lines, l => l.EventId == 2001 && l.Message.Contains("Imported", StringComparison.Ordinal));

        // Announced at once: the running app finds it now, not after the refresh interval.
        using var response = await host.GetAsync("/json-api/killacct", $"whm root:{file["a"]}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AStoreThatFailsOnTheSecondToken_IsUndone_AndNothingIsStored()
    {
        FailingStore? failing = null;
        await using var host = await LegacyHost.StartAsync(b => b.WrapStore((_, inner) => failing = new FailingStore(inner)));
        var file = new CpanelTokenFile().Add("a").Add("b", acls: ["list-accts"]);
        failing!.FailCreateNumber = 2;

        var (code, _, stderr) = await host.CliAsync(null, "tokens", "import-whm", file.WriteTo("root.json"));

        Assert.Equal(1, code);
        Assert.Equal("The API token store is unavailable. Nothing was changed; try again later.", stderr.Trim());
        Assert.Empty(await host.RowsAsync(host.Root.Id));
        Assert.DoesNotContain(host.Host.Log.Lines, l => l.EventId == 2001);
        using var response = await host.GetAsync("/whoami", $"whm root:{file["a"]}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>A custom store without <see cref="IApiTokenStore.CreateManyAsync"/> of its own, failing where the test says.</summary>
    private sealed class FailingStore(IApiTokenStore inner) : IApiTokenStore
    {
        private int _creates;

        public int FailCreateNumber { get; set; }

        public bool FailDeletes { get; set; }

        public Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _creates) == FailCreateNumber
                ? throw new TimeoutException("The database did not answer.")
                : inner.CreateAsync(token, cancellationToken);

        public Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken) =>
            FailDeletes ? throw new TimeoutException("The database did not answer.") : inner.DeleteAsync(accountId, tokenId, cancellationToken);

        public Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken) =>
            inner.FindBySelectorAsync(accountId, selector, cancellationToken);

        public Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken) =>
            inner.FindByNameAsync(accountId, name, cancellationToken);

        public Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken) =>
            inner.ListAsync(accountId, query, cancellationToken);

        public Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken) =>
            inner.UpdateAsync(token, expectedConcurrencyStamp, cancellationToken);

        public Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken) => inner.DeleteAllAsync(accountId, cancellationToken);

        public Task<bool> AnySelectorStartsWithAsync(string prefix, CancellationToken cancellationToken) =>
            inner.AnySelectorStartsWithAsync(prefix, cancellationToken);
    }
}
