using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// Every Argon2 run in the process goes through here: verifications (authentication, <c>api_token_get_details</c>, leak
/// reports) and new hashes (create, rotate, import, upgrade on use). It runs them on the <see cref="Argon2Workers"/> (at most
/// <see cref="ApiTokenVerificationOptions.MaxConcurrentHashes"/> at once, dedicated threads, a bounded queue and a deadline to
/// start), and holds the wrong-secret windows per selector and the single-flight map that runs one verification for all
/// concurrent requests presenting the same credential.
/// </summary>
/// <remarks>
/// A request waits for its run without holding a thread, so while hashes queue the thread pool stays free for the requests
/// the cache answers. It records what it does on the <c>ApiTokens</c> meter (<see cref="ApiTokensMetrics"/>: Argon2 runs and
/// their duration, the wait for a worker, refusals, the queue, and each cache miss as the flight it starts or joins) and, for
/// a listener that samples them, the activities <see cref="ApiTokensDiagnostics.VerifyActivity"/> (a flight) and
/// <see cref="ApiTokensDiagnostics.HashActivity"/> (a run). Nothing of this is on the cached path.
/// </remarks>
internal sealed class HashGate : IDisposable
{
    private readonly Argon2Workers _workers;
    private readonly ConcurrentDictionary<string, FailureWindow> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<ApiTokenVerificationResult>> _inFlight = new(StringComparer.Ordinal);
    private readonly ApiTokenVerificationOptions _options;
    private readonly long _maxFailureKeys;
    private readonly IApiTokenHasher _hasher;
    private readonly TimeProvider _time;
    private readonly ApiTokensMetrics _metrics;
    private long _lastBusyTicks = long.MinValue;

    public HashGate(IOptions<ApiTokenOptions> options, IApiTokenHasher hasher, TimeProvider time, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Verification;
        _maxFailureKeys = options.Value.Cache.SizeLimit;
        _hasher = hasher ?? throw new ArgumentNullException(nameof(hasher));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _workers = new Argon2Workers(_options.MaxConcurrentHashes, _options.QueueCapacity);
        _metrics = ApiTokensMetrics.For(meterFactory);
        _metrics.ObserveHashGate(() => QueueLength, () => ActiveHashes);
    }

    /// <summary>How many Argon2 runs may run at once (<see cref="ApiTokenVerificationOptions.MaxConcurrentHashes"/>): the workers.</summary>
    public int MaxConcurrentHashes => _workers.Count;

    /// <summary>Argon2 runs waiting for a worker now.</summary>
    public int QueueLength => _workers.Queued;

    /// <summary>Argon2 runs on a worker now.</summary>
    public int ActiveHashes => _workers.Active;

    /// <summary>When a run last was refused busy: a full queue, more queued than can start in time, or no worker within the queue timeout (<see cref="TimeProvider"/> ticks; <see cref="long.MinValue"/>: never).</summary>
    public long LastBusyTicks => Interlocked.Read(ref _lastBusyTicks);

    /// <summary>
    /// Throttle check → queue → (on a worker) the selector's window → Argon2 → record failure. <see cref="GateVerdict.Throttled"/>
    /// when the selector has too many recent failures; <see cref="GateVerdict.Busy"/> when the run was refused busy (the queue
    /// was full or held more than the workers could start in time, no worker started it within
    /// <see cref="ApiTokenVerificationOptions.HashQueueTimeout"/>, or the workers have stopped), which says nothing about the secret. Either way no hash ran, and none will.
    /// </summary>
    /// <remarks>
    /// The <c>$sha512$</c> hash of a token imported from cPanel is checked here without a worker (one SHA-512, no Argon2) and
    /// always answers <see cref="GateVerdict.SuccessRehashNeeded"/> on a match, so the caller stores the native form; failures
    /// count alike.
    /// </remarks>
    public async ValueTask<GateVerdict> VerifyAsync(string accountId, string selector, string hash, string secret, CancellationToken cancellationToken)
    {
        if (IsThrottled(accountId, selector))
        {
            _metrics.HashRefused(ApiTokensMetrics.Verify, ApiTokensMetrics.SelectorLimit);
            return GateVerdict.Throttled;
        }

        var key = FailureKey(accountId, selector);
        if (LegacySecretHash.IsSha512(hash))
        {
            return Verify(key, hash, secret, legacy: true);
        }

        using var activity = ApiTokensDiagnostics.ActivitySource.StartActivity(ApiTokensDiagnostics.HashActivity);
        activity?.SetTag(ApiTokensMetrics.OperationTag, ApiTokensMetrics.Verify);
        var (ran, verdict) = await RunAsync(
            ApiTokensMetrics.Verify, () => Verify(key, hash, secret, legacy: false), activity, cancellationToken).ConfigureAwait(false);
        return ran ? verdict : GateVerdict.Busy;
    }

    /// <summary>
    /// One verification, on a worker (or inline for a SHA-512). The selector's window is reserved only now, when the run
    /// starts: each run holds a place in it until it is known to have failed or not, so concurrent wrong secrets (and wrong
    /// secrets recorded while this one queued) never take the selector past its limit.
    /// </summary>
    private GateVerdict Verify(string key, string hash, string secret, bool legacy)
    {
        var window = Reserve(key);
        if (window is null)
        {
            _metrics.HashRefused(ApiTokensMetrics.Verify, ApiTokensMetrics.SelectorLimit);
            return GateVerdict.Throttled;
        }

        var failed = false;
        try
        {
            HashVerificationResult result;
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

            failed = result is not (HashVerificationResult.Success or HashVerificationResult.SuccessRehashNeeded);
            return result switch
            {
                HashVerificationResult.Success => GateVerdict.Success,
                HashVerificationResult.SuccessRehashNeeded => GateVerdict.SuccessRehashNeeded,
                _ => GateVerdict.Failed,
            };
        }
        finally
        {
            window.Complete(_time.GetUtcNow().UtcTicks, _options.FailureWindow.Ticks, failed);
        }
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

    /// <summary>Hashes a new secret on the same workers; <see langword="null"/> when it was refused busy (nothing hashed).</summary>
    public async ValueTask<string?> HashAsync(string secret, CancellationToken cancellationToken)
    {
        using var activity = ApiTokensDiagnostics.ActivitySource.StartActivity(ApiTokensDiagnostics.HashActivity);
        activity?.SetTag(ApiTokensMetrics.OperationTag, ApiTokensMetrics.Hash);
        var (ran, hash) = await RunAsync(ApiTokensMetrics.Hash, () => Hash(secret), activity, cancellationToken).ConfigureAwait(false);
        return ran ? hash : null;
    }

    private string Hash(string secret)
    {
        var started = Stopwatch.GetTimestamp();
        var hash = _hasher.Hash(secret);
        _metrics.Hashed(ApiTokensMetrics.Hash, started);
        return hash;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a worker and waits for it without holding a thread. Not run (false) at once when the
    /// queue is full, the workers have stopped, or the runs queued ahead of it would take the workers past
    /// <see cref="ApiTokenVerificationOptions.HashQueueTimeout"/>; and not run when no worker started it within that time: then it
    /// is taken out of the queue and never runs. Each wait for a worker is recorded, acquired or timed out; a
    /// cancellation takes the run out of the queue too (a run already started finishes, unseen).
    /// </summary>
    private async ValueTask<(bool Ran, T Result)> RunAsync<T>(string operation, Func<T> work, Activity? activity, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var job = new Argon2Job<T>(work);
        if (!_workers.TryQueue(job, _options.HashQueueTimeout))
        {
            Busy(operation, activity);
            return (false, default!);
        }

        try
        {
            T result;
            try
            {
                result = await job.Completion.WaitAsync(_options.HashQueueTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException) when (_workers.TryAbandon(job))
            {
                Waited(operation, job.Waited, acquired: false, activity);
                Busy(operation, activity);
                return (false, default!);
            }
            catch (TimeoutException)
            {
                // A worker started it just as the deadline passed: it is running, so its answer is on the way.
                result = await job.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            Waited(operation, job.Waited, acquired: true, activity);
            return (true, result);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Dropped from the queue unrun: the workers stopped (the host is shutting down).
            Busy(operation, activity);
            return (false, default!);
        }
        catch (OperationCanceledException)
        {
            _workers.TryAbandon(job);
            throw;
        }
    }

    private void Waited(string operation, TimeSpan waited, bool acquired, Activity? activity)
    {
        _metrics.QueueWaited(operation, waited, acquired);
        activity?.SetTag("apitokens.hashing.queue.duration", waited.TotalSeconds);
    }

    private void Busy(string operation, Activity? activity)
    {
        Interlocked.Exchange(ref _lastBusyTicks, _time.GetUtcNow().UtcTicks);
        _metrics.HashRefused(operation, ApiTokensMetrics.Busy);
        activity?.SetStatus(ActivityStatusCode.Error, ApiTokensMetrics.Busy);
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

    /// <summary>Stops the workers: runs in progress finish; queued ones never run, and their requests are refused busy.</summary>
    public void Dispose() => _workers.Dispose();

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
