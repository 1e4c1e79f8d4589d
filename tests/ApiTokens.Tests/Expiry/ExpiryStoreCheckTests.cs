using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApiTokens.Tests.Expiry;

/// <summary>
/// A store decorator written before expiry warnings (it forwards the calls it knew about, not <c>ListExpiringAsync</c> or
/// <c>TryMarkExpiryWarnedAsync</c>) keeps the interface's defaults, and no warning would ever be raised: the service names the
/// store in a warning when it starts.
/// </summary>
public sealed class ExpiryStoreCheckTests
{
    [Fact]
    public async Task DecoratorThatDropsTryMarkExpiryWarned_IsNamedInAWarningAtStart()
    {
        await using var node = new ApiTokensTestHostBuilder().WrapStore((_, store) => new OldDecorator(store)).BuildServices();
        var root = node.Accounts.Add("root", "all");
        await node.CreateTokenAsync(root, "deploy", null, node.Time.GetUtcNow().AddDays(2));
        var service = node.Services.GetServices<IHostedService>().OfType<ExpiryWarningService>().Single();

        await service.StartAsync(CancellationToken.None);
        var raised = await service.RunOnceAsync(CancellationToken.None);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(0, raised);
        var warning = Assert.Single(node.Log.Lines, l => l.EventId == 1625);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(typeof(OldDecorator).FullName!, warning.Message, StringComparison.Ordinal);
        Assert.Contains("TryMarkExpiryWarnedAsync", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ListExpiringAsync", warning.Message, StringComparison.Ordinal); // that one it forwards
    }

    [Theory]
    [InlineData(true)] // a store that implements both: nothing to say
    [InlineData(false)] // the old decorator with warnings off (ExpiryWarning 0): nothing to say either
    public async Task NoWarning_ForAStoreThatImplementsBoth_OrWhenWarningsAreOff(bool inMemory)
    {
        var builder = new ApiTokensTestHostBuilder();
        if (!inMemory)
        {
            builder.WrapStore((_, store) => new OldDecorator(store)).ConfigureOptions(o => o.Policy.ExpiryWarning = TimeSpan.Zero);
        }

        await using var node = builder.BuildServices();
        var service = node.Services.GetServices<IHostedService>().OfType<ExpiryWarningService>().Single();

        await service.StartAsync(CancellationToken.None);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(0, node.Log.Count(1625));
    }

    /// <summary>A decorator as written before issue 14: it forwards what it knew about, plus the listing, not the mark.</summary>
    private sealed class OldDecorator(IApiTokenStore inner) : IApiTokenStore
    {
        public Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken) =>
            inner.UpdateAsync(token, expectedConcurrencyStamp, cancellationToken);

        public Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken) => inner.CreateAsync(token, cancellationToken);

        public Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken) =>
            inner.FindBySelectorAsync(accountId, selector, cancellationToken);

        public Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken) => inner.FindByNameAsync(accountId, name, cancellationToken);

        public Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken) => inner.ListAsync(accountId, query, cancellationToken);

        public Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken) => inner.DeleteAsync(accountId, tokenId, cancellationToken);

        public Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken) => inner.DeleteAllAsync(accountId, cancellationToken);

        public Task<IReadOnlyList<ApiToken>> ListExpiringAsync(DateTimeOffset after, DateTimeOffset until, int limit, CancellationToken cancellationToken) =>
            inner.ListExpiringAsync(after, until, limit, cancellationToken);
    }
}
