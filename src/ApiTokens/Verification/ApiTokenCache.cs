using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// This node's verify cache. Entries are keyed by <c>user:selector</c> (never by the secret) and hold a
/// keyed digest of the secret, so a cached request is proven with one HMAC and a fixed-time compare.
/// Any change to an account bumps its generation, which makes every cached entry of that account stale
/// at once, with no race against a concurrent fill.
/// </summary>
public sealed class ApiTokenCache : IApiTokenCacheInvalidator, IDisposable
{
    private readonly MemoryCache _entries;
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FailureCounter> _failures = new(StringComparer.Ordinal);
    private readonly ApiTokenCacheOptions _options;
    private readonly TimeProvider _time;
    private long _globalGeneration;
    private long _maxAgeTicks;

    /// <summary>Creates the cache.</summary>
    public ApiTokenCache(IOptions<ApiTokenOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Cache;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.SizeLimit });
        HashSlots = new SemaphoreSlim(_options.MaxConcurrentHashVerifications, _options.MaxConcurrentHashVerifications);
        _maxAgeTicks = _options.Lifetime.Ticks;
    }

    /// <summary>The options in force.</summary>
    public ApiTokenCacheOptions Options => _options;

    /// <summary>How many verified tokens are cached now.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// The longest a cached entry is trusted. Normally <see cref="ApiTokenCacheOptions.Lifetime"/>; a backplane
    /// that lost its connection lowers it (degraded mode) and restores it with <see langword="null"/>.
    /// </summary>
    public TimeSpan MaxEntryAge
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _maxAgeTicks));
        set => Interlocked.Exchange(ref _maxAgeTicks, Math.Min(value.Ticks, _options.Lifetime.Ticks));
    }

    /// <summary>Restores <see cref="MaxEntryAge"/> to the configured lifetime.</summary>
    public void ResetMaxEntryAge() => Interlocked.Exchange(ref _maxAgeTicks, _options.Lifetime.Ticks);

    internal SemaphoreSlim HashSlots { get; }

    internal ConcurrentDictionary<string, Task<ApiTokenVerificationResult>> InFlight { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask TokenChangedAsync(string accountId, string selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(selector);
        ApplyAccountChange(accountId);
        return default;
    }

    /// <inheritdoc />
    public ValueTask AccountChangedAsync(string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ApplyAccountChange(accountId);
        return default;
    }

    /// <summary>Makes every cached entry of <paramref name="accountId"/> stale on this node.</summary>
    public void ApplyAccountChange(string accountId)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        _generations.AddOrUpdate(accountId, 1, static (_, g) => g + 1);
        var prefix = accountId + "\n";
        foreach (var pair in _failures)
        {
            if (pair.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                _failures.TryRemove(pair.Key, out _);
            }
        }
    }

    /// <summary>Makes every cached entry stale on this node (for example after a backplane outage).</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _globalGeneration);
        _entries.Compact(1.0);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _entries.Dispose();
        HashSlots.Dispose();
    }

    internal long GlobalGeneration => Interlocked.Read(ref _globalGeneration);

    internal long GenerationOf(string accountId) => _generations.TryGetValue(accountId, out var g) ? g : 0;

    internal long NowTicks => _time.GetUtcNow().UtcTicks;

    internal VerifiedToken? Get(string key) => _entries.TryGetValue(key, out var value) ? (VerifiedToken?)value : null;

    /// <summary>Whether no change to the entry's account (or to everything) happened since it was filled.</summary>
    internal bool IsFresh(VerifiedToken entry) =>
        entry.AccountGeneration == GenerationOf(entry.Account.Id) && entry.GlobalGeneration == GlobalGeneration;

    /// <summary>Whether the entry is fresh and younger than <see cref="MaxEntryAge"/>.</summary>
    internal bool IsCurrent(VerifiedToken entry, long nowTicks) =>
        IsFresh(entry) && nowTicks - entry.CachedAtTicks < Interlocked.Read(ref _maxAgeTicks);

    internal void Set(string key, VerifiedToken entry)
    {
        if (!_options.Enabled)
        {
            return;
        }

        using var cacheEntry = _entries.CreateEntry(key);
        cacheEntry.Value = entry;
        cacheEntry.Size = 1;
        cacheEntry.AbsoluteExpirationRelativeToNow = _options.Lifetime;
    }

    internal bool IsThrottled(string accountId, string selector, long nowTicks) =>
        _failures.TryGetValue(FailureKey(accountId, selector), out var counter)
        && counter.IsOverLimit(nowTicks, _options.FailureWindow.Ticks, _options.MaxFailuresPerSelector);

    internal void RecordFailure(string accountId, string selector, long nowTicks)
    {
        var counter = _failures.GetOrAdd(FailureKey(accountId, selector), static _ => new FailureCounter());
        counter.Add(nowTicks, _options.FailureWindow.Ticks);
        if (_failures.Count > _options.SizeLimit)
        {
            // Bounded memory: drop windows that have closed.
            foreach (var pair in _failures)
            {
                if (!pair.Value.IsOpen(nowTicks, _options.FailureWindow.Ticks))
                {
                    _failures.TryRemove(pair.Key, out _);
                }
            }
        }
    }

    private static string FailureKey(string accountId, string selector) => string.Concat(accountId, "\n", selector);

    private sealed class FailureCounter
    {
        private readonly Lock _gate = new();
        private long _windowStart;
        private int _count;

        public void Add(long now, long window)
        {
            lock (_gate)
            {
                if (now - _windowStart >= window)
                {
                    _windowStart = now;
                    _count = 0;
                }

                _count++;
            }
        }

        public bool IsOpen(long now, long window)
        {
            lock (_gate)
            {
                return now - _windowStart < window;
            }
        }

        public bool IsOverLimit(long now, long window, int limit)
        {
            lock (_gate)
            {
                return now - _windowStart < window && _count >= limit;
            }
        }
    }
}
