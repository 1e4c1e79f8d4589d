namespace ApiTokens;

/// <summary>The default <see cref="IApiTokenChangeNotifier"/>: applies a change to this node only.</summary>
internal sealed class LocalChangeNotifier(ApiTokenCacheControl cache) : IApiTokenChangeNotifier
{
    public ValueTask AccountChangedAsync(string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        cache.ApplyAccountChange(accountId);
        return default;
    }
}
