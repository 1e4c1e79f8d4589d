using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// Proves a presented <c>user:token</c>: the hot path of every request. A cached token costs one HMAC and a fixed-time compare
/// (<see cref="VerifyCache"/>); an uncached one costs an account lookup, one indexed store read by selector and one Argon2
/// verification through the <see cref="HashGate"/>, run once however many requests ask at the same time. Before the store it asks
/// the <see cref="ClientFailureLimiter"/> (a blocked client gets no further) and the <see cref="NegativeLookupCache"/> (an account or
/// selector this node recently learned does not exist is refused with no store read).
/// </summary>
/// <remarks>
/// A result that proves nothing either way is not a refusal (<see cref="ApiTokenVerificationResult.IsUnavailable"/>): no Argon2 slot
/// in time or an account that kept changing (<see cref="ApiTokenFailureReason.Busy"/>), an unreachable store
/// (<see cref="ApiTokenFailureReason.StoreUnavailable"/>), a blocked client (<see cref="ApiTokenFailureReason.ClientBlocked"/>); each
/// carries a <see cref="ApiTokenVerificationResult.RetryAfterSeconds"/>.
/// </remarks>
internal sealed partial class ApiTokenVerifier
{
    /// <summary>The <c>Retry-After</c> of a store outage: long enough not to hammer a database that is coming back.</summary>
    internal const int StoreUnavailableRetryAfterSeconds = 5;

    /// <summary>The <c>Retry-After</c> of an account that kept changing while its token was checked: the next try usually succeeds.</summary>
    internal const int ChurnRetryAfterSeconds = 1;

    private static readonly byte[] DigestKey = RandomNumberGenerator.GetBytes(32);

    // One keyed HMAC state per thread: the one-shot HMACSHA256.HashData sets up a new keyed context per call,
    // which costs several times the hash itself on the cached path.
    [ThreadStatic]
    private static IncrementalHash? t_digest;

    private readonly VerifyCache _cache;
    private readonly HashGate _gate;
    private readonly ApiTokenFormat _format;
    private readonly LegacyTokenIndex _legacy;
    private readonly IServiceScopeFactory _scopes;
    private readonly UsageTracker _usage;
    private readonly StoredHashUpgrader _upgrader;
    private readonly ClientFailureLimiter _clients;
    private readonly ApiTokensMetrics _metrics;
    private readonly int _busyRetryAfterSeconds;
    private readonly ILogger _logger;

    /// <summary>
    /// A singleton: the store and the account provider, which may be scoped, are resolved in a scope of their own, and only on a
    /// cache miss. That scope is not the request's: services a host sets up per request (a tenant context, say) are not seen
    /// by the store or account provider here.
    /// </summary>
    public ApiTokenVerifier(
        VerifyCache cache,
        HashGate gate,
        ApiTokenFormat format,
        LegacyTokenIndex legacy,
        IServiceScopeFactory scopes,
        UsageTracker usage,
        IOptions<ApiTokenOptions> options,
        TimeProvider time,
        ILogger<ApiTokenVerifier> logger,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _cache = cache;
        _gate = gate;
        _format = format;
        _legacy = legacy;
        _scopes = scopes;
        _usage = usage;
        _logger = logger;
        _upgrader = new StoredHashUpgrader(gate, format, logger);
        _metrics = ApiTokensMetrics.For(meterFactory);
        _clients = new ClientFailureLimiter(options.Value.ClientLimits, time, logger, _metrics);

        // A request that found no slot waited the whole queue timeout: the queue is about that long.
        _busyRetryAfterSeconds = (int)Math.Clamp(Math.Ceiling(options.Value.Verification.HashQueueTimeout.TotalSeconds), 1, 30);
    }

    /// <summary>The refused credentials per client address (<c>ApiTokens:ClientLimits</c>): the handler counts them here.</summary>
    internal ClientFailureLimiter ClientLimits => _clients;

    /// <summary>
    /// Verifies <paramref name="token"/> presented for <paramref name="userName"/> from <paramref name="remoteAddress"/>.
    /// Never throws for bad input; fails closed when the store is unreachable.
    /// </summary>
    public ValueTask<ApiTokenVerificationResult> VerifyAsync(ReadOnlySpan<char> userName, ReadOnlySpan<char> token, IPAddress? remoteAddress)
    {
        if (userName.IsEmpty)
        {
            return ValueTask.FromResult(ApiTokenVerificationResult.Fail(ApiTokenFailureReason.Malformed));
        }

        var native = _format.TryParse(token, out var selector, out var secret);
        if (!native)
        {
            // Another format can only be a credential made on a cPanel server, and only while such rows are stored: then it is
            // found by its digest selector and proven whole. Otherwise it is refused here, with no store query.
            if (!LegacyTokens.IsCandidate(token) || !(_legacy.NeedsRead || _legacy.MayExist))
            {
                return ValueTask.FromResult(ApiTokenVerificationResult.Fail(ApiTokenFailureReason.Malformed));
            }

            selector = LegacyTokens.SelectorFor(token);
            secret = token;
        }

        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeDigest(secret, digest);
        var key = string.Concat(userName, ":", selector);
        var now = _cache.NowTicks;

        var cached = _cache.Get(key);
        if (cached is not null && _cache.IsCurrent(cached, now))
        {
            if (CryptographicOperations.FixedTimeEquals(cached.SecretDigest, digest))
            {
                return ValueTask.FromResult(Authorize(cached, remoteAddress, now));
            }

            // A blocked client gets 429 for anything this node has not proven, a wrong secret for a cached selector included (so
            // the answer does not tell a cached selector from any other).
            if (_clients.AnyBlocked && _clients.IsBlocked(remoteAddress, out var blockedFor))
            {
                return ValueTask.FromResult(ApiTokenVerificationResult.Unavailable(ApiTokenFailureReason.ClientBlocked, blockedFor));
            }

            // A selector's secret never changes (a rotation gives the token a new selector), so a current entry with another
            // digest proves the secret wrong: refuse it as fast as a right-but-refused one (no timing oracle), with no store read
            // and no Argon2.
            _gate.RecordFailure(cached.Account.Id, cached.ProvenSelector);
            return ValueTask.FromResult(ApiTokenVerificationResult.Fail(ApiTokenFailureReason.WrongSecret, cached.Token.Name));
        }

        // Nothing below is free: a blocked client stops here, before any account or store read and any Argon2.
        if (_clients.AnyBlocked && _clients.IsBlocked(remoteAddress, out var retryAfter))
        {
            return ValueTask.FromResult(ApiTokenVerificationResult.Unavailable(ApiTokenFailureReason.ClientBlocked, retryAfter));
        }

        // A native-format miss may still be an imported cPanel token (the default format is cPanel's): keep the whole value
        // for the second lookup, which only runs while such rows are stored.
        var value = native && LegacyTokens.IsCandidate(token) ? token.ToString() : null;
        var user = userName.ToString();
        var selectorText = selector.ToString();

        // An account or selector that a recent lookup found missing (and no change since) is refused as the store would refuse it,
        // without asking: a flood of made-up tokens for a real user costs a listing of its selectors once, not a query each.
        var missing = _cache.Negative.Find(user, selectorText, value, now);
        if (missing != ApiTokenFailureReason.None)
        {
            _metrics.NegativeLookupHit(EnumTagValues<ApiTokenFailureReason>.Of(missing));
            return ValueTask.FromResult(ApiTokenVerificationResult.Fail(missing));
        }

        var request = new Request(key, user, selectorText, secret.ToString(), digest.ToArray(), cached, value);
        return native ? VerifySlowAsync(request, remoteAddress) : VerifyLegacyAsync(request, remoteAddress);
    }

    /// <summary>A value of another format, seen while the index needed reading: read it first, then look the value up only if rows exist.</summary>
    private async ValueTask<ApiTokenVerificationResult> VerifyLegacyAsync(Request request, IPAddress? remoteAddress)
    {
        return !await _legacy.MayExistAsync().ConfigureAwait(false)
            ? ApiTokenVerificationResult.Fail(ApiTokenFailureReason.Malformed)
            : await VerifySlowAsync(request, remoteAddress).ConfigureAwait(false);
    }

    private async ValueTask<ApiTokenVerificationResult> VerifySlowAsync(Request request, IPAddress? remoteAddress)
    {
        var flightKey = string.Concat(request.Key, ":", Convert.ToHexString(request.Digest));
        for (var attempt = 0; ; attempt++)
        {
            var result = await _gate.RunOnceAsync(flightKey, (this, request), static s => s.Item1.LoadAndVerifyAsync(s.request)).ConfigureAwait(false);
            if (result.Token is not { } verified)
            {
                return result;
            }

            // A change (revoke, suspension, ...) that landed while this check ran makes its result stale: a request
            // that shared or outlived it must not pass on it. Check again; the stale entry spares Argon2.
            if (_cache.IsFresh(verified))
            {
                return Authorize(verified, remoteAddress, _cache.NowTicks);
            }

            // The secret was proven three times and a change landed each time: nothing is wrong with it, so say "try again".
            if (attempt == 2)
            {
                return ApiTokenVerificationResult.Unavailable(ApiTokenFailureReason.Busy, ChurnRetryAfterSeconds, verified.Token.Name);
            }

            request = request with { Stale = verified };
        }
    }

    /// <summary>Resolves account and token, proves the secret. Never throws: anything unexpected fails closed.</summary>
    private async Task<ApiTokenVerificationResult> LoadAndVerifyAsync(Request request)
    {
        // A flight that began just after another one for this key finished (its request read the cache before that one filled
        // it): the entry it left proves this secret too, with no store read and no Argon2.
        if (request.Stale is null && _cache.Get(request.Key) is { } filled && _cache.IsCurrent(filled, _cache.NowTicks)
            && CryptographicOperations.FixedTimeEquals(filled.SecretDigest, request.Digest))
        {
            return ApiTokenVerificationResult.Success(filled);
        }

        try
        {
            ApiTokenVerificationResult result;
            var scope = _scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var accounts = scope.ServiceProvider.GetRequiredService<IApiTokenAccountProvider>();
                var store = scope.ServiceProvider.GetRequiredService<IApiTokenStore>();
                result = await LoadAndVerifyCoreAsync(request, accounts, store).ConfigureAwait(false);
            }

            // Filled only once the scope is gone: a fault while disposing it fails this request closed and caches nothing.
            if (result.Succeeded)
            {
                _cache.Set(request.Key, result.Token!);
            }

            return result;
        }
        catch (Exception ex) when (StoreFaults.IsStoreFault(ex))
        {
            Log.StoreUnavailable(_logger, ex);
            return ApiTokenVerificationResult.Unavailable(ApiTokenFailureReason.StoreUnavailable, StoreUnavailableRetryAfterSeconds);
        }
#pragma warning disable CA1031 // Authentication fails closed: a bug in a store or provider must not become a 500 for every waiter.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.VerificationFailed(_logger, ex);
            return ApiTokenVerificationResult.Unavailable(ApiTokenFailureReason.StoreUnavailable, StoreUnavailableRetryAfterSeconds);
        }
    }

    /// <summary>The checks of every request, cached or not; a success is noted for last-used tracking (in memory only).</summary>
    private ApiTokenVerificationResult Authorize(VerifiedToken entry, IPAddress? remoteAddress, long nowTicks)
    {
        // A rotated token's previous value stops at the end of its grace period, even from a current cache entry: refused as a
        // revoked token is. (A current value's entry has no end: long.MaxValue.)
        if (nowTicks >= entry.UsableUntilTicks)
        {
            return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.UnknownToken);
        }

        if (entry.Token.IsExpiredAt(new DateTimeOffset(nowTicks, TimeSpan.Zero)))
        {
            return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.Expired, entry.Token.Name, entry);
        }

        if (entry.Account.IsSuspended)
        {
            return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.Suspended, entry.Token.Name, entry);
        }

        if (!entry.AllowsAddress(remoteAddress))
        {
            return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.IpNotAllowed, entry.Token.Name, entry);
        }

        _usage.Note(entry.Token, nowTicks, remoteAddress);
        return ApiTokenVerificationResult.Success(entry);
    }

    private static void ComputeDigest(ReadOnlySpan<char> secret, Span<byte> destination)
    {
        Span<byte> bytes = stackalloc byte[secret.Length];
        for (var i = 0; i < secret.Length; i++)
        {
            bytes[i] = (byte)secret[i];
        }

        var hmac = t_digest ??= IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, DigestKey);
        hmac.AppendData(bytes);
        hmac.GetHashAndReset(destination);
        CryptographicOperations.ZeroMemory(bytes);
    }

    /// <summary>
    /// What a cache miss carries to the slow path. <c>Value</c> is the whole presented value when it has the native format and
    /// could also be an imported cPanel token (null otherwise); for a value of another format, <c>Selector</c> is its digest
    /// selector and <c>Secret</c> the whole value.
    /// </summary>
    private sealed record Request(
        string Key, string UserName, string Selector, string Secret, byte[] Digest, VerifiedToken? Stale, string? Value);
}
