using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// Every Argon2 run in the process goes through here: verifications (authentication and <c>api_token_get_details</c>) and new
/// hashes (create). It holds the slots (at most <see cref="ApiTokenVerificationOptions.MaxConcurrentHashes"/> at once, a bounded
/// wait for one), the wrong-secret windows per selector, and the single-flight map that runs one verification for all concurrent
/// requests presenting the same credential.
/// </summary>
/// <remarks>
/// It records what it does on the <c>ApiTokens</c> meter (<see cref="ApiTokensMetrics"/>: Argon2 runs and their duration, the
/// wait for a slot, refusals, the queue, and each cache miss as the flight it starts or joins) and, for a listener that samples
/// them, the activities <see cref="ApiTokensDiagnostics.VerifyActivity"/> (a flight) and <see cref="ApiTokensDiagnostics.HashActivity"/>
/// (a run). Nothing of this is on the cached path.
/// </remarks>
internal sealed class HashGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<string, FailureWindow> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<ApiTokenVerificationResult>> _inFlight = new(StringComparer.Ordinal);
    private readonly ApiTokenVerificationOptions _options;
    private readonly long _maxFailureKeys;
    private readonly IApiTokenHasher _hasher;
    private readonly TimeProvider _time;
    private readonly ApiTokensMetrics _metrics;
    private int _queued;
    private long _lastBusyTicks = long.MinValue;

    public HashGate(IOptions<ApiTokenOptions> options, IApiTokenHasher hasher, TimeProvider time, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Verification;
        _maxFailureKeys = options.Value.Cache.SizeLimit;
        _hasher = hasher ?? throw new ArgumentNullException(nameof(hasher));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _slots = new SemaphoreSlim(_options.MaxConcurrentHashes, _options.MaxConcurrentHashes);
        _metrics = ApiTokensMetrics.For(meterFactory);
        _metrics.ObserveHashGate(() => QueueLength, () => ActiveHashes);
    }

    /// <summary>How many Argon2 runs may hold a slot at once (<see cref="ApiTokenVerificationOptions.MaxConcurrentHashes"/>).</summary>
    public int MaxConcurrentHashes => _options.MaxConcurrentHashes;

    /// <summary>Argon2 runs waiting for a slot now.</summary>
    public int QueueLength => Volatile.Read(ref _queued);

    /// <summary>Argon2 runs holding a slot now.</summary>
    public int ActiveHashes => _options.MaxConcurrentHashes - _slots.CurrentCount;

    /// <summary>When a run last found no slot within the queue timeout (<see cref="TimeProvider"/> ticks; <see cref="long.MinValue"/>: never).</summary>
    public long LastBusyTicks => Interlocked.Read(ref _lastBusyTicks);

    /// <summary>
    /// Throttle check → slot → Argon2 → release → record failure. <see cref="GateVerdict.Throttled"/> when the selector has too many
    /// recent failures or no slot freed up within <see cref="ApiTokenVerificationOptions.HashQueueTimeout"/>; then no hash ran.
    /// </summary>
    /// <remarks>
    /// The <c>$sha512$</c> hash of a token imported from cPanel is checked here without a slot (one SHA-512, no Argon2) and always
    /// answers <see cref="GateVerdict.SuccessRehashNeeded"/> on a match, so the caller stores the native form; failures count alike.
    /// </remarks>
    public async ValueTask<GateVerdict> VerifyAsync(string accountId, string selector, string hash, string secret, CancellationToken cancellationToken)
    {
        if (IsThrottled(accountId, selector))
        {
            _metrics.HashRefused(ApiTokensMetrics.Verify, ApiTokensMetrics.SelectorLimit);
            return GateVerdict.Throttled;
        }

        HashVerificationResult result;
        var legacy = LegacySecretHash.IsSha512(hash);
        using var activity = legacy ? null : ApiTokensDiagnostics.ActivitySource.StartActivity(ApiTokensDiagnostics.HashActivity);
        activity?.SetTag(ApiTokensMetrics.OperationTag, ApiTokensMetrics.Verify);
        if (!legacy && !await AcquireSlotAsync(ApiTokensMetrics.Verify, activity, cancellationToken).ConfigureAwait(false))
        {
            return GateVerdict.Throttled;
        }

        // Each run holds a place in the selector's window until it is known to have failed or not, so concurrent wrong secrets
        // (and wrong secrets recorded while this request queued for a slot) never take the selector past its limit.
        var key = FailureKey(accountId, selector);
        var window = Reserve(key);
        try
        {
            if (window is null)
            {
                _metrics.HashRefused(ApiTokensMetrics.Verify, ApiTokensMetrics.SelectorLimit);
                return GateVerdict.Throttled;
            }

            if (legacy)
            {
                result = LegacySecretHash.Verify(hash, secret);
            }
            else
            {
                var started = Stopwatch.GetTimestamp();
                result = _hasher.Verify(hash, secret);
                _metrics.Hashed(ApiTokensMetrics.Verify, started);
            }
        }
        finally
        {
            if (!legacy)
            {
                _slots.Release();
            }
        }

        var failed = result is not (HashVerificationResult.Success or HashVerificationResult.SuccessRehashNeeded);
        window.Complete(_time.GetUtcNow().UtcTicks, _options.FailureWindow.Ticks, failed);
        return result switch
        {
            HashVerificationResult.Success => GateVerdict.Success,
            HashVerificationResult.SuccessRehashNeeded => GateVerdict.SuccessRehashNeeded,
            _ => GateVerdict.Failed,
        };
    }

    /// <summary>The selector's window with a place reserved for one run, or <see langword="null"/> when it is at its limit.</summary>
    private FailureWindow? Reserve(string key)
    {
        var now = _time.GetUtcNow().UtcTicks;
        var window = _failures.GetOrAdd(key, static _ => new FailureWindow());
        if (!window.TryReserve(now, _options.FailureWindow.Ticks, _options.MaxFailuresPerSelector))
        {
            return null;
        }

        TrimClosedWindows(now);
        return window;
    }

    /// <summary>Hashes a new secret within the same slots; <see langword="null"/> when no slot freed up in time.</summary>
    public async ValueTask<string?> HashAsync(string secret, CancellationToken cancellationToken)
    {
        using var activity = ApiTokensDiagnostics.ActivitySource.StartActivity(ApiTokensDiagnostics.HashActivity);
        activity?.SetTag(ApiTokensMetrics.OperationTag, ApiTokensMetrics.Hash);
        if (!await AcquireSlotAsync(ApiTokensMetrics.Hash, activity, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            var started = Stopwatch.GetTimestamp();
            var hash = _hasher.Hash(secret);
            _metrics.Hashed(ApiTokensMetrics.Hash, started);
            return hash;
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// A slot within <see cref="ApiTokenVerificationOptions.HashQueueTimeout"/>, or false (a busy refusal). A run that has to wait
    /// counts in <see cref="QueueLength"/> meanwhile; every wait, even none, is recorded.
    /// </summary>
    private async ValueTask<bool> AcquireSlotAsync(string operation, Activity? activity, CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            _metrics.QueueWaited(operation, TimeSpan.Zero, acquired: true);
            return true;
        }

        var started = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _queued);
        bool acquired;
        try
        {
            acquired = await _slots.WaitAsync(_options.HashQueueTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }

        var waited = Stopwatch.GetElapsedTime(started);
        _metrics.QueueWaited(operation, waited, acquired);
        activity?.SetTag("apitokens.hashing.queue.duration", waited.TotalSeconds);
        if (!acquired)
        {
            Interlocked.Exchange(ref _lastBusyTicks, _time.GetUtcNow().UtcTicks);
            _metrics.HashRefused(operation, ApiTokensMetrics.Busy);
            activity?.SetStatus(ActivityStatusCode.Error, ApiTokensMetrics.Busy);
        }

        return acquired;
    }

    /// <summary>
    /// Runs <paramref name="work"/> once for all concurrent callers with the same <paramref name="key"/>. Each call is a
    /// verification the cache did not answer (a cache miss); the flight that runs is timed and, when sampled, traced as
    /// <see cref="ApiTokensDiagnostics.VerifyActivity"/>.
    /// </summary>
    public async Task<ApiTokenVerificationResult> RunOnceAsync<TState>(
        string key, TState state, Func<TState, Task<ApiTokenVerificationResult>> work)
    {
        _metrics.CacheMiss();
        var leader = new TaskCompletionSource<ApiTokenVerificationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flight = _inFlight.GetOrAdd(key, leader.Task);
        if (flight != leader.Task)
        {
            return await flight.ConfigureAwait(false);
        }

        var started = Stopwatch.GetTimestamp();
        using var activity = ApiTokensDiagnostics.ActivitySource.StartActivity(ApiTokensDiagnostics.VerifyActivity);
        try
        {
            var result = await work(state).ConfigureAwait(false);
            var outcome = result.Succeeded ? ApiTokensMetrics.Success : EnumTagValues<ApiTokenFailureReason>.Of(result.FailureReason);
            _metrics.Verified(outcome, started);
            if (activity is not null)
            {
                activity.SetTag(ApiTokensMetrics.VerificationResultTag, outcome);
                if (result.FailureReason == ApiTokenFailureReason.StoreUnavailable)
                {
                    activity.SetStatus(ActivityStatusCode.Error, outcome);
                }
            }

            // Leave the flight before answering, so a waiter that must check again starts a new one.
            _inFlight.TryRemove(new KeyValuePair<string, Task<ApiTokenVerificationResult>>(key, leader.Task));
            leader.SetResult(result);
            return result;
        }
        catch (Exception ex)
        {
            // Never leave a flight behind that nobody completes: its waiters (and every later caller) would hang.
            _inFlight.TryRemove(new KeyValuePair<string, Task<ApiTokenVerificationResult>>(key, leader.Task));
            leader.SetException(ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    /// <summary>Records a wrong secret for a selector proven wrong without hashing (a cached entry's digest differed).</summary>
    public void RecordFailure(string accountId, string selector)
    {
        var now = _time.GetUtcNow().UtcTicks;
        var window = _options.FailureWindow.Ticks;
        _failures.GetOrAdd(FailureKey(accountId, selector), static _ => new FailureWindow()).Add(now, window);
        TrimClosedWindows(now);
    }

    /// <summary>Bounded memory: past the cache's size limit, drops windows that have closed and hold no run.</summary>
    private void TrimClosedWindows(long now)
    {
        if (_failures.Count <= _maxFailureKeys)
        {
            return;
        }

        var window = _options.FailureWindow.Ticks;
        foreach (var pair in _failures)
        {
            if (!pair.Value.IsOpen(now, window))
            {
                _failures.TryRemove(pair.Key, out _);
            }
        }
    }

    public void Dispose() => _slots.Dispose();

    private bool IsThrottled(string accountId, string selector) =>
        _failures.TryGetValue(FailureKey(accountId, selector), out var window)
        && window.IsOverLimit(_time.GetUtcNow().UtcTicks, _options.FailureWindow.Ticks, _options.MaxFailuresPerSelector);

    private static string FailureKey(string accountId, string selector) => string.Concat(accountId, "\n", selector);

    private sealed class FailureWindow
    {
        private readonly Lock _gate = new();
        private long _start;
        private int _count;
        private int _running;

        public void Add(long now, long window)
        {
            lock (_gate)
            {
                Roll(now, window);
                _count++;
            }
        }

        /// <summary>Takes a place for one run unless the failures so far plus the runs still going reach <paramref name="limit"/>.</summary>
        public bool TryReserve(long now, long window, int limit)
        {
            lock (_gate)
            {
                Roll(now, window);
                if (_count + _running >= limit)
                {
                    return false;
                }

                _running++;
                return true;
            }
        }

        /// <summary>Gives the run's place back, counting it as a failure when <paramref name="failed"/>.</summary>
        public void Complete(long now, long window, bool failed)
        {
            lock (_gate)
            {
                _running--;
                if (failed)
                {
                    Roll(now, window);
                    _count++;
                }
            }
        }

        /// <summary>Closed (and so removable) once its window has passed and no run holds a place in it.</summary>
        public bool IsOpen(long now, long window)
        {
            lock (_gate)
            {
                return _running > 0 || now - _start < window;
            }
        }

        private void Roll(long now, long window)
        {
            if (now - _start >= window)
            {
                _start = now;
                _count = 0;
            }
        }

        public bool IsOverLimit(long now, long window, int limit)
        {
            lock (_gate)
            {
                return now - _start < window && _count >= limit;
            }
        }
    }
}
