namespace ApiTokens;

/// <summary>Does nothing: used when no verify cache is registered.</summary>
internal sealed class NullApiTokenCacheInvalidator : IApiTokenCacheInvalidator
{
    public ValueTask TokenChangedAsync(string accountId, string selector, CancellationToken cancellationToken) => default;

    public ValueTask AccountChangedAsync(string accountId, CancellationToken cancellationToken) => default;
}
