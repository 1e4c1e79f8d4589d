using Microsoft.Extensions.Caching.Memory;

namespace ApiTokens;

/// <summary>
/// What this node learned from lookups that found nothing, so that a flood of made-up credentials does not cost one store query
/// each: per user name, either "no such account" or the account's selector directory (every selector and live previous selector
/// its tokens hold). A selector outside a current directory is refused as <see cref="ApiTokenFailureReason.UnknownToken"/> with no
/// account read and no store read, the same refusal the store would have led to.
/// </summary>
/// <remarks>
/// <para>
/// An account's first unknown-token refusal only leaves a mark (it cost the one read it always did: a script retrying with a
/// revoked token costs no more than before); a second one while the mark is current fills the directory (one
/// <see cref="IApiTokenStore.ListAsync"/> more), which answers every later made-up selector. Each entry is current
/// for <see cref="Lifetime"/> while no change reached its account (<see cref="VerifyCache.Bump"/>, on every node with a backplane)
/// and nothing cleared the cache. A "no such account" entry is current while no account changed at all. A token created without a
/// change notice is therefore refused for at most <see cref="Lifetime"/>; an account with more than <see cref="MaxSelectors"/>
/// selectors gets no directory (its lookups read the store as before, and it is not listed again within the lifetime).
/// </para>
/// <para>
/// Bounded: a <see cref="MemoryCache"/> whose size limit is <c>ApiTokens:Cache:SizeLimit</c>, an entry costing one unit plus one per
/// selector; past the limit, new entries are not kept.
/// </para>
/// </remarks>
internal sealed class NegativeLookupCache : IDisposable
{
    /// <summary>The most selectors one directory holds (one page of <see cref="IApiTokenStore.ListAsync"/>).</summary>
    public const int MaxSelectors = ApiTokenQuery.MaxTake;

    /// <summary>The longest a negative lookup is trusted, unless the cache lifetime is shorter.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(30);

    private readonly MemoryCache _entries;
    private readonly VerifyCache _cache;
    private long _lifetimeTicks;

    public NegativeLookupCache(VerifyCache cache, ApiTokenCacheOptions options)
    {
        _cache = cache;
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.SizeLimit });
        _lifetimeTicks = options.Enabled ? Math.Min(DefaultLifetime.Ticks, options.Lifetime.Ticks) : 0;
    }

    /// <summary>How long a negative lookup is trusted (<see cref="TimeSpan.Zero"/>: off). Benchmarks set it to compare.</summary>
    public TimeSpan Lifetime
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _lifetimeTicks));
        set => Interlocked.Exchange(ref _lifetimeTicks, Math.Max(0, value.Ticks));
    }

    public bool Enabled => Interlocked.Read(ref _lifetimeTicks) > 0;

    /// <summary>How many user names have an entry now (some may be stale until read or evicted).</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// <see cref="ApiTokenFailureReason.UnknownUser"/> or <see cref="ApiTokenFailureReason.UnknownToken"/> when a current entry proves
    /// there is no such account or no such selector; <see cref="ApiTokenFailureReason.None"/> when the store must be asked.
    /// <paramref name="value"/> is the whole presented value when it could also be an imported cPanel token (found by its digest
    /// selector), else null.
    /// </summary>
    public ApiTokenFailureReason Find(string userName, string selector, string? value, long nowTicks)
    {
        if (!Enabled || !_entries.TryGetValue(userName, out var found) || found is not Entry entry || !IsCurrent(entry, nowTicks))
        {
            return ApiTokenFailureReason.None;
        }

        if (entry.AccountId is null)
        {
            return ApiTokenFailureReason.UnknownUser;
        }

        if (entry.Selectors is not { } selectors)
        {
            return ApiTokenFailureReason.None; // a mark, or too many selectors to remember
        }

        if (Holds(selectors, selector, nowTicks)
            || (entry.HasDigestSelectors && value is not null && Holds(selectors, LegacyTokens.SelectorFor(value), nowTicks)))
        {
            return ApiTokenFailureReason.None;
        }

        return ApiTokenFailureReason.UnknownToken;
    }

    /// <summary>
    /// After an unknown token of <paramref name="accountId"/>: whether to list the account's selectors now (a current mark says
    /// this is not its first unknown token); otherwise leaves the mark, unless a current directory (or "too many") is there.
    /// </summary>
    public bool ShouldList(string userName, string accountId, long accountGeneration, long globalGeneration, long nowTicks)
    {
        if (!Enabled)
        {
            return false;
        }

        if (_entries.TryGetValue(userName, out var found) && found is Entry entry && IsCurrent(entry, nowTicks)
            && string.Equals(entry.AccountId, accountId, StringComparison.Ordinal))
        {
            return entry.Mark;
        }

        Set(userName, new Entry(accountId, accountGeneration, globalGeneration, 0, nowTicks, null, false, Mark: true), 1);
        return false;
    }

    /// <summary>
    /// Remembers that no account is named <paramref name="userName"/>, as read after <paramref name="changes"/> and
    /// <paramref name="globalGeneration"/> (read before the account lookup, so a change meanwhile makes it stale at once).
    /// </summary>
    public void SetUnknownUser(string userName, long changes, long globalGeneration, long nowTicks) =>
        Set(userName, new Entry(null, 0, globalGeneration, changes, nowTicks, null, false), 1);

    /// <summary>
    /// Remembers the selectors of <paramref name="page"/> (the whole list of <paramref name="accountId"/>'s tokens, or a page of
    /// it: then only that there are too many to remember), as read under <paramref name="accountGeneration"/>.
    /// </summary>
    public void SetAccount(string userName, string accountId, long accountGeneration, long globalGeneration, ApiTokenPage page, long nowTicks)
    {
        if (page.TotalCount > page.Items.Count || page.Items.Count > MaxSelectors)
        {
            Set(userName, new Entry(accountId, accountGeneration, globalGeneration, 0, nowTicks, null, false), 1);
            return;
        }

        var selectors = new Dictionary<string, long>(page.Items.Count, StringComparer.Ordinal);
        var digest = false;
        foreach (var token in page.Items)
        {
            if (!string.Equals(token.AccountId, accountId, StringComparison.Ordinal))
            {
                continue;
            }

            selectors[token.Selector] = long.MaxValue;
            digest |= LegacyTokens.IsDigestSelector(token.Selector);
            if (token.PreviousSelector is { } previous && token.PreviousSecretExpiresAt is { } ends)
            {
                selectors.TryAdd(previous, ends.UtcTicks);
                digest |= LegacyTokens.IsDigestSelector(previous);
            }
        }

        Set(userName, new Entry(accountId, accountGeneration, globalGeneration, 0, nowTicks, selectors, digest), 1 + selectors.Count);
    }

    public void Dispose() => _entries.Dispose();

    private void Set(string userName, Entry entry, long size)
    {
        if (!Enabled)
        {
            return;
        }

        using var cacheEntry = _entries.CreateEntry(userName);
        cacheEntry.Value = entry;
        cacheEntry.Size = size;
        cacheEntry.AbsoluteExpirationRelativeToNow = Lifetime;
    }

    private bool IsCurrent(Entry entry, long nowTicks) =>
        nowTicks - entry.FilledAtTicks < Interlocked.Read(ref _lifetimeTicks)
        && entry.GlobalGeneration == _cache.GlobalGeneration
        && (entry.AccountId is null ? entry.Changes == _cache.Changes : entry.AccountGeneration == _cache.GenerationOf(entry.AccountId));

    /// <summary>A selector the account holds now (a previous selector only until its grace period ends).</summary>
    private static bool Holds(Dictionary<string, long> selectors, string selector, long nowTicks) =>
        selectors.TryGetValue(selector, out var until) && nowTicks < until;

    /// <summary>
    /// One user name's entry: <see cref="AccountId"/> null for "no such account" (current while <see cref="Changes"/> is), else the
    /// account's selectors with when each stops (<see cref="long.MaxValue"/> for a current one), or null for a <see cref="Mark"/>
    /// (one unknown token seen) or when there were too many to remember.
    /// </summary>
    private sealed record Entry(
        string? AccountId,
        long AccountGeneration,
        long GlobalGeneration,
        long Changes,
        long FilledAtTicks,
        Dictionary<string, long>? Selectors,
        bool HasDigestSelectors,
        bool Mark = false);
}
