namespace ApiTokens;

/// <summary>
/// This node's verify cache as a backplane sees it: apply a change that another node announced, drop everything after an outage,
/// and trust entries for less time while changes may be missed. Resolve it from dependency injection; nothing else needs it.
/// </summary>
public sealed class ApiTokenCacheControl
{
    private readonly VerifyCache _cache;
    private readonly LegacyTokenIndex? _legacy;

    internal ApiTokenCacheControl(VerifyCache cache, LegacyTokenIndex? legacy = null)
    {
        _cache = cache;
        _legacy = legacy;
    }

    /// <summary>The longest a cached entry is trusted now: <c>ApiTokens:Cache:Lifetime</c>, or less after <see cref="LimitEntryAge"/>.</summary>
    public TimeSpan MaxEntryAge => _cache.MaxEntryAge;

    /// <summary>Makes every cached entry of <paramref name="accountId"/> stale on this node.</summary>
    public void ApplyAccountChange(string accountId)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        // The selectors' wrong-secret windows stay: a selector's secret never changes, so an account change (any api_token_update
        // by the account itself) must not buy an attacker a fresh allowance of Argon2 runs.
        _cache.Bump(accountId);

        // The change may have been an import of cPanel tokens on another node: ask the store again at the next legacy question.
        _legacy?.AccountChanged();
    }

    /// <summary>Makes every cached entry stale on this node (for example after changes may have been lost).</summary>
    public void Clear() => _cache.Clear();

    /// <summary>Trusts cached entries for at most <paramref name="maxAge"/> (never longer than the configured lifetime).</summary>
    public void LimitEntryAge(TimeSpan maxAge) => _cache.LimitEntryAge(maxAge);

    /// <summary>Trusts cached entries for the configured lifetime again.</summary>
    public void ResetEntryAge() => _cache.ResetEntryAge();
}
