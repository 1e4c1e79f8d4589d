using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// Every Argon2 run in the process goes through here: verifications (authentication and <c>api_token_get_details</c>) and new
/// hashes (create). It holds the slots (at most <see cref="ApiTokenVerificationOptions.MaxConcurrentHashes"/> at once, a bounded
/// wait for one), the wrong-secret windows per selector, and the single-flight map that runs one verification for all concurrent
/// requests presenting the same credential.
/// </summary>
internal sealed class HashGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<string, FailureWindow> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<ApiTokenVerificationResult>> _inFlight = new(StringComparer.Ordinal);
    private readonly ApiTokenVerificationOptions _options;
    private readonly long _maxFailureKeys;
    private readonly IApiTokenHasher _hasher;
    private readonly TimeProvider _time;

    public HashGate(IOptions<ApiTokenOptions> options, IApiTokenHasher hasher, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Verification;
        _maxFailureKeys = options.Value.Cache.SizeLimit;
        _hasher = hasher ?? throw new ArgumentNullException(nameof(hasher));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _slots = new SemaphoreSlim(_options.MaxConcurrentHashes, _options.MaxConcurrentHashes);
    }

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
            return GateVerdict.Throttled;
        }

        HashVerificationResult result;
        if (LegacySecretHash.IsSha512(hash))
        {
            result = LegacySecretHash.Verify(hash, secret);
        }
        else if (!await _slots.WaitAsync(_options.HashQueueTimeout, cancellationToken).ConfigureAwait(false))
        {
            return GateVerdict.Throttled;
        }
        else
        {
            try
            {
                // Wrong secrets recorded while this request queued for a slot count too: check the limit again.
                if (IsThrottled(accountId, selector))
                {
                    return GateVerdict.Throttled;
                }

                result = _hasher.Verify(hash, secret);
            }
            finally
            {
                _slots.Release();
            }
        }

        switch (result)
        {
            case HashVerificationResult.Success:
                return GateVerdict.Success;
            case HashVerificationResult.SuccessRehashNeeded:
                return GateVerdict.SuccessRehashNeeded;
            default:
                RecordFailure(accountId, selector);
                return GateVerdict.Failed;
        }
    }

    /// <summary>Hashes a new secret within the same slots; <see langword="null"/> when no slot freed up in time.</summary>
    public async ValueTask<string?> HashAsync(string secret, CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(_options.HashQueueTimeout, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            return _hasher.Hash(secret);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> once for all concurrent callers with the same <paramref name="key"/>.</summary>
    public async Task<ApiTokenVerificationResult> RunOnceAsync<TState>(
        string key, TState state, Func<TState, Task<ApiTokenVerificationResult>> work)
    {
        var leader = new TaskCompletionSource<ApiTokenVerificationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flight = _inFlight.GetOrAdd(key, leader.Task);
        if (flight != leader.Task)
        {
            return await flight.ConfigureAwait(false);
        }

        try
        {
            var result = await work(state).ConfigureAwait(false);

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
            throw;
        }
    }

    /// <summary>Records a wrong secret for a selector proven wrong without hashing (a cached entry's digest differed).</summary>
    public void RecordFailure(string accountId, string selector)
    {
        var now = _time.GetUtcNow().UtcTicks;
        var window = _options.FailureWindow.Ticks;
        _failures.GetOrAdd(FailureKey(accountId, selector), static _ => new FailureWindow()).Add(now, window);
        if (_failures.Count > _maxFailureKeys)
        {
            // Bounded memory: drop windows that have closed.
            foreach (var pair in _failures)
            {
                if (!pair.Value.IsOpen(now, window))
                {
                    _failures.TryRemove(pair.Key, out _);
                }
            }
        }
    }

    /// <summary>Forgets the failure windows of an account's selectors (the account changed).</summary>
    public void ClearFailures(string accountId)
    {
        var prefix = accountId + "\n";
        foreach (var pair in _failures)
        {
            if (pair.Key.StartsWith(prefix, StringComparison.Ordinal))
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

        public void Add(long now, long window)
        {
            lock (_gate)
            {
                if (now - _start >= window)
                {
                    _start = now;
                    _count = 0;
                }

                _count++;
            }
        }

        public bool IsOpen(long now, long window)
        {
            lock (_gate)
            {
                return now - _start < window;
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
