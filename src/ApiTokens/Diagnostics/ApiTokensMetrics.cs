using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace ApiTokens;

/// <summary>
/// The instruments of the <c>ApiTokens</c> meter (names, units and tags in docs/observability.md). One instance per
/// <see cref="IMeterFactory"/>, that is per app (every ASP.NET Core and generic host registers one), shared by the parts that
/// record: the whm handler (authentications), the verify cache, the hash gate and the usage writer. Tags are low-cardinality
/// only (an outcome, a reason, an operation): never a user name, a token name, a selector or an address.
/// </summary>
/// <remarks>
/// Recording costs one counter add with tags built from constant strings: no allocation, and next to nothing while nobody
/// listens. A container without a meter factory (a bare <c>ServiceCollection</c>; <c>services.AddMetrics()</c> adds one) shares
/// one process-wide meter, which has the counters and histograms but not the observable instruments (they read one app's
/// state).
/// </remarks>
internal sealed class ApiTokensMetrics
{
    // Tag names: OpenTelemetry style, namespaced under apitokens.
    public const string ResultTag = "apitokens.authentication.result";
    public const string FailureReasonTag = "apitokens.authentication.failure_reason";
    public const string CacheResultTag = "apitokens.cache.result";
    public const string EvictionReasonTag = "apitokens.cache.eviction_reason";
    public const string InvalidationScopeTag = "apitokens.cache.invalidation_scope";
    public const string OperationTag = "apitokens.hashing.operation";
    public const string QueueResultTag = "apitokens.hashing.queue.result";
    public const string RefusalReasonTag = "apitokens.hashing.refusal_reason";
    public const string VerificationResultTag = "apitokens.verification.result";
    public const string FlushResultTag = "apitokens.usage.flush.result";
    public const string StoreOperationTag = "apitokens.store.operation";
    public const string NegativeReasonTag = "apitokens.negative_lookup.reason";
    public const string ManagementResultTag = "apitokens.management.result";

    // Store operations the verifier times (apitokens.store.duration).
    public const string FindUser = "find_user";
    public const string FindAccount = "find_account";
    public const string FindBySelector = "find_by_selector";
    public const string ListSelectors = "list_selectors";

    // Tag values
    public const string Success = "success";
    public const string Failure = "failure";
    public const string Verify = "verify";
    public const string Hash = "hash";
    public const string SelectorLimit = "selector_limit";
    public const string Busy = "busy";

    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10];

    private static readonly KeyValuePair<string, object?> SuccessResult = new(ResultTag, Success);
    private static readonly KeyValuePair<string, object?> FailureResult = new(ResultTag, Failure);
    private static readonly KeyValuePair<string, object?> Hit = new(CacheResultTag, "hit");
    private static readonly KeyValuePair<string, object?> Miss = new(CacheResultTag, "miss");

    private static readonly ConditionalWeakTable<IMeterFactory, ApiTokensMetrics> ByFactory = [];
    private static readonly Lazy<ApiTokensMetrics> Shared = new(() => new ApiTokensMetrics(new Meter(ApiTokensDiagnostics.Name), observable: false));

    private readonly Counter<long> _authentications;
    private readonly Counter<long> _cacheLookups;
    private readonly Counter<long> _cacheEvictions;
    private readonly Counter<long> _cacheInvalidations;
    private readonly Counter<long> _hashes;
    private readonly Histogram<double> _hashDuration;
    private readonly Histogram<double> _queueWait;
    private readonly Counter<long> _refusals;
    private readonly Histogram<double> _verificationDuration;
    private readonly Counter<long> _usageFlushes;
    private readonly Counter<long> _usageRecords;
    private readonly Histogram<double> _storeDuration;
    private readonly Counter<long> _blockedRequests;
    private readonly Counter<long> _negativeHits;
    private readonly bool _observable;
    private Func<long>? _cacheEntries;
    private Func<int>? _queueLength;
    private Func<int>? _activeHashes;
    private Func<int>? _blockedClients;
    private Func<int>? _trackedClients;

    private ApiTokensMetrics(Meter meter, bool observable)
    {
        Meter = meter;
        _observable = observable;
        _authentications = meter.CreateCounter<long>(
            "apitokens.authentication.attempts", "{attempt}", "Credentials the whm scheme read, by result and failure reason.");
        _cacheLookups = meter.CreateCounter<long>(
            "apitokens.cache.lookups", "{lookup}", "Verifications answered by this node's verify cache (hit) or not (miss: store and Argon2).");
        _cacheEvictions = meter.CreateCounter<long>(
            "apitokens.cache.evictions", "{entry}", "Entries the verify cache dropped, by reason.");
        _cacheInvalidations = meter.CreateCounter<long>(
            "apitokens.cache.invalidations", "{invalidation}", "Changes that made cached entries stale: one account's, or all of them.");
        _hashes = meter.CreateCounter<long>(
            "apitokens.hashing.operations", "{operation}", "Argon2 runs: verifications of a presented secret and hashes of a new one.");
        _hashDuration = meter.CreateHistogram(
            "apitokens.hashing.duration", "s", "How long one Argon2 run took (without the wait for a slot).", advice: Buckets);
        _queueWait = meter.CreateHistogram(
            "apitokens.hashing.queue.duration", "s", "How long an Argon2 run waited for a slot, acquired or timed out.", advice: Buckets);
        _refusals = meter.CreateCounter<long>(
            "apitokens.hashing.refusals", "{request}", "Requests refused without Argon2: the selector's wrong-secret limit, or no slot in time.");
        _verificationDuration = meter.CreateHistogram(
            "apitokens.verification.duration", "s", "How long a verification the cache did not answer took: account, store read and Argon2.", advice: Buckets);
        _usageFlushes = meter.CreateCounter<long>(
            "apitokens.usage.flushes", "{flush}", "Writes of noted token uses (last used time and address) to the store, by result.");
        _usageRecords = meter.CreateCounter<long>(
            "apitokens.usage.records", "{record}", "Token uses written to the store.");
        _storeDuration = meter.CreateHistogram(
            "apitokens.store.duration", "s", "How long one account-provider or store call of a verification took, by operation.", advice: Buckets);
        _blockedRequests = meter.CreateCounter<long>(
            "apitokens.client_limits.blocked_requests", "{request}", "Requests refused 429 because their client is blocked (ApiTokens:ClientLimits).");
        _negativeHits = meter.CreateCounter<long>(
            "apitokens.negative_lookup.hits", "{request}", "Requests refused from the negative-lookup cache, with no store read, by reason.");
        meter.CreateObservableUpDownCounter(
            "apitokens.client_limits.blocked_clients", ObserveBlockedClients, "{client}", "Clients blocked now (a block that just ended counts until it is seen).");
        meter.CreateObservableUpDownCounter(
            "apitokens.client_limits.tracked_clients", ObserveTrackedClients, "{client}", "Client addresses with refused credentials tracked now (bounded by MaxTrackedClients).");
        meter.CreateObservableUpDownCounter(
            "apitokens.cache.entries", ObserveCacheEntries, "{entry}", "Entries in this node's verify cache.");
        meter.CreateObservableUpDownCounter(
            "apitokens.hashing.queue.length", ObserveQueueLength, "{request}", "Argon2 runs waiting for a slot.");
        meter.CreateObservableUpDownCounter(
            "apitokens.hashing.active", ObserveActiveHashes, "{operation}", "Argon2 runs holding a slot now.");
    }

    /// <summary>The meter the instruments belong to.</summary>
    public Meter Meter { get; }

    private static InstrumentAdvice<double> Buckets { get; } = new() { HistogramBucketBoundaries = DurationBuckets };

    /// <summary>The instruments of the app whose meter factory is <paramref name="factory"/> (the process-wide ones for null).</summary>
    public static ApiTokensMetrics For(IMeterFactory? factory) =>
        factory is null ? Shared.Value : ByFactory.GetValue(factory, static f => new ApiTokensMetrics(f.Create(ApiTokensDiagnostics.Name), observable: true));

    /// <summary>Reads the verify cache's entry count for <c>apitokens.cache.entries</c>.</summary>
    public void ObserveCache(Func<long> entries)
    {
        if (_observable)
        {
            _cacheEntries = entries;
        }
    }

    /// <summary>Reads the hash gate's queue and active runs for <c>apitokens.hashing.queue.length</c> and <c>apitokens.hashing.active</c>.</summary>
    public void ObserveHashGate(Func<int> queueLength, Func<int> activeHashes)
    {
        if (_observable)
        {
            _queueLength = queueLength;
            _activeHashes = activeHashes;
        }
    }

    /// <summary>Reads the client limiter's blocked and tracked clients for <c>apitokens.client_limits.*_clients</c>.</summary>
    public void ObserveClientLimits(Func<int> blockedClients, Func<int> trackedClients)
    {
        if (_observable)
        {
            _blockedClients = blockedClients;
            _trackedClients = trackedClients;
        }
    }

    /// <summary>A store or account-provider call of <paramref name="operation"/> (a constant) that started at <paramref name="started"/> ended.</summary>
    public void StoreCalled(string operation, long started) =>
        _storeDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(StoreOperationTag, operation));

    /// <summary>A request from a blocked client was refused (429).</summary>
    public void ClientBlocked() => _blockedRequests.Add(1);

    /// <summary>A request was refused from the negative-lookup cache for <paramref name="reason"/> (a constant, snake-case tag value).</summary>
    public void NegativeLookupHit(string reason) => _negativeHits.Add(1, new KeyValuePair<string, object?>(NegativeReasonTag, reason));

    /// <summary>A credential was accepted.</summary>
    public void AuthenticationSucceeded() => _authentications.Add(1, SuccessResult);

    /// <summary>A credential was refused for <paramref name="reason"/> (a constant, snake-case tag value).</summary>
    public void AuthenticationFailed(string reason) => _authentications.Add(1, FailureResult, new(FailureReasonTag, reason));

    public void CacheHit() => _cacheLookups.Add(1, Hit);

    public void CacheMiss() => _cacheLookups.Add(1, Miss);

    public void CacheEvicted(string reason) => _cacheEvictions.Add(1, new KeyValuePair<string, object?>(EvictionReasonTag, reason));

    public void CacheInvalidated(bool all) =>
        _cacheInvalidations.Add(1, new KeyValuePair<string, object?>(InvalidationScopeTag, all ? "all" : "account"));

    /// <summary>One Argon2 run of <paramref name="operation"/> (<see cref="Verify"/> or <see cref="Hash"/>) that started at <paramref name="started"/>.</summary>
    public void Hashed(string operation, long started)
    {
        var tag = new KeyValuePair<string, object?>(OperationTag, operation);
        _hashes.Add(1, tag);
        _hashDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tag);
    }

    /// <summary>A run of <paramref name="operation"/> waited <paramref name="waited"/> for a slot and got one, or not.</summary>
    public void QueueWaited(string operation, TimeSpan waited, bool acquired) =>
        _queueWait.Record(
            waited.TotalSeconds,
            new KeyValuePair<string, object?>(OperationTag, operation),
            new KeyValuePair<string, object?>(QueueResultTag, acquired ? "acquired" : "timed_out"));

    /// <summary>A run was refused before Argon2, for <see cref="SelectorLimit"/> or <see cref="Busy"/>.</summary>
    public void HashRefused(string operation, string reason) =>
        _refusals.Add(1, new KeyValuePair<string, object?>(OperationTag, operation), new KeyValuePair<string, object?>(RefusalReasonTag, reason));

    /// <summary>A verification the cache did not answer ended with <paramref name="result"/> after <paramref name="started"/>.</summary>
    public void Verified(string result, long started) =>
        _verificationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(VerificationResultTag, result));

    /// <summary>A usage write of <paramref name="records"/> uses succeeded or failed.</summary>
    public void UsageFlushed(bool succeeded, int records)
    {
        _usageFlushes.Add(1, new KeyValuePair<string, object?>(FlushResultTag, succeeded ? Success : Failure));
        if (succeeded)
        {
            _usageRecords.Add(records);
        }
    }

    private IEnumerable<Measurement<long>> ObserveCacheEntries() =>
        _cacheEntries is { } read ? [new Measurement<long>(read())] : [];

    private IEnumerable<Measurement<int>> ObserveQueueLength() =>
        _queueLength is { } read ? [new Measurement<int>(read())] : [];

    private IEnumerable<Measurement<int>> ObserveBlockedClients() =>
        _blockedClients is { } read ? [new Measurement<int>(read())] : [];

    private IEnumerable<Measurement<int>> ObserveTrackedClients() =>
        _trackedClients is { } read ? [new Measurement<int>(read())] : [];

    private IEnumerable<Measurement<int>> ObserveActiveHashes() =>
        _activeHashes is { } read ? [new Measurement<int>(read())] : [];
}
