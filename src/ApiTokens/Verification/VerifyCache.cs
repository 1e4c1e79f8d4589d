using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// This node's verify cache: entries, generations and entry age. Entries are keyed by <c>user:selector</c> (never by the secret)
/// and hold a keyed digest of the secret, so a cached request is proven with one HMAC and a fixed-time compare. Any change to an
/// account bumps its generation, which makes every cached entry of that account stale at once, with no race against a
/// concurrent fill. It also holds the <see cref="Negative"/> lookups (what the store did not have), made stale by the same
/// generations.
/// </summary>
/// <remarks>
/// On the <c>ApiTokens</c> meter it counts hits (a current entry found: <see cref="IsCurrent"/>; a miss is counted where the
/// slow path starts, <see cref="HashGate.RunOnceAsync"/>), evictions by reason, invalidations, and reports its entry count.
/// </remarks>
internal sealed class VerifyCache : IDisposable
{
    private readonly MemoryCache _entries;
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);
    private readonly ApiTokenCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ApiTokensMetrics _metrics;
    private readonly PostEvictionDelegate _evicted;
    private long _globalGeneration;
    private long _changes;
    private long _maxAgeTicks;

    public VerifyCache(IOptions<ApiTokenOptions> options, TimeProvider time, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Cache;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.SizeLimit });
        _maxAgeTicks = _options.Lifetime.Ticks;
        _metrics = ApiTokensMetrics.For(meterFactory);
        _metrics.ObserveCache(() => _entries.Count);
        _evicted = OnEvicted;
        Negative = new NegativeLookupCache(this, _options);
    }

    /// <summary>The lookups that found nothing (no such account, no such selector), checked before the store is asked.</summary>
    public NegativeLookupCache Negative { get; }

    /// <summary>How many changes (to any account, or to everything) this node has applied: a "no such account" entry is current only while it stands still.</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>How many entries the cache holds now (some may be stale until they are read or evicted).</summary>
    public int Count => _entries.Count;

    public ApiTokenCacheOptions Options => _options;

    /// <summary>The longest a cached entry is trusted now: the lifetime, or less while a backplane is degraded.</summary>
    public TimeSpan MaxEntryAge => TimeSpan.FromTicks(Interlocked.Read(ref _maxAgeTicks));

    public long GlobalGeneration => Interlocked.Read(ref _globalGeneration);

    public long NowTicks => _time.GetUtcNow().UtcTicks;

    public void LimitEntryAge(TimeSpan maxAge) => Interlocked.Exchange(ref _maxAgeTicks, Math.Min(maxAge.Ticks, _options.Lifetime.Ticks));

    public void ResetEntryAge() => Interlocked.Exchange(ref _maxAgeTicks, _options.Lifetime.Ticks);

    /// <summary>Makes every cached entry of <paramref name="accountId"/> stale.</summary>
    public void Bump(string accountId)
    {
        _generations.AddOrUpdate(accountId, 1, static (_, g) => g + 1);
        Interlocked.Increment(ref _changes);
        _metrics.CacheInvalidated(all: false);
    }

    /// <summary>Makes every cached entry stale (for example after a backplane outage).</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _globalGeneration);
        Interlocked.Increment(ref _changes);
        _metrics.CacheInvalidated(all: true);
        _entries.Compact(1.0);
    }

    public long GenerationOf(string accountId) => _generations.TryGetValue(accountId, out var g) ? g : 0;

    public VerifiedToken? Get(string key) => _entries.TryGetValue(key, out var value) ? (VerifiedToken?)value : null;

    /// <summary>Whether no change to the entry's account (or to everything) happened since it was filled.</summary>
    public bool IsFresh(VerifiedToken entry) =>
        entry.AccountGeneration == GenerationOf(entry.Account.Id) && entry.GlobalGeneration == GlobalGeneration;

    /// <summary>Whether the entry is fresh and younger than <see cref="MaxEntryAge"/>: then the cache answers (a hit).</summary>
    public bool IsCurrent(VerifiedToken entry, long nowTicks)
    {
        if (IsFresh(entry) && nowTicks - entry.CachedAtTicks < Interlocked.Read(ref _maxAgeTicks))
        {
            _metrics.CacheHit();
            return true;
        }

        return false;
    }

    public void Set(string key, VerifiedToken entry)
    {
        if (!_options.Enabled)
        {
            return;
        }

        using var cacheEntry = _entries.CreateEntry(key);
        cacheEntry.Value = entry;
        cacheEntry.Size = 1;
        cacheEntry.AbsoluteExpirationRelativeToNow = _options.Lifetime;
        cacheEntry.RegisterPostEvictionCallback(_evicted);
    }

    /// <summary>Counts an eviction; one that <see cref="Clear"/> caused (its entry predates the clear) as <c>cleared</c>.</summary>
    private void OnEvicted(object key, object? value, EvictionReason reason, object? state) =>
        _metrics.CacheEvicted(reason switch
        {
            EvictionReason.Replaced => "replaced",
            EvictionReason.Expired or EvictionReason.TokenExpired => "expired",
            EvictionReason.Capacity when value is VerifiedToken entry && entry.GlobalGeneration != GlobalGeneration => "cleared",
            EvictionReason.Capacity => "capacity",
            _ => "removed",
        });

    public void Dispose()
    {
        _entries.Dispose();
        Negative.Dispose();
    }
}
