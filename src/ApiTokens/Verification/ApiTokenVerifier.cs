using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// Proves a presented <c>user:token</c>: the hot path of every request. A cached token costs one HMAC and a fixed-time compare
/// (<see cref="VerifyCache"/>); an uncached one costs an account lookup, one indexed store read by selector and one Argon2
/// verification through the <see cref="HashGate"/>, run once however many requests ask at the same time.
/// </summary>
internal sealed class ApiTokenVerifier
{
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
        ILogger<ApiTokenVerifier> logger)
    {
        _cache = cache;
        _gate = gate;
        _format = format;
        _legacy = legacy;
        _scopes = scopes;
        _usage = usage;
        _logger = logger;
        _upgrader = new StoredHashUpgrader(gate, format, logger);
    }

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

            // A selector's secret never changes (a rotation gives the token a new selector), so a current entry with another
            // digest proves the secret wrong: refuse it as fast as a right-but-refused one (no timing oracle), with no store read
            // and no Argon2.
            _gate.RecordFailure(cached.Account.Id, cached.ProvenSelector);
            return ValueTask.FromResult(ApiTokenVerificationResult.Fail(ApiTokenFailureReason.WrongSecret, cached.Token.Name));
        }

        // A native-format miss may still be an imported cPanel token (the default format is cPanel's): keep the whole value
        // for the second lookup, which only runs while such rows are stored.
        var value = native && LegacyTokens.IsCandidate(token) ? token.ToString() : null;
        var request = new Request(key, userName.ToString(), selector.ToString(), secret.ToString(), digest.ToArray(), cached, value);
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

            if (attempt == 2)
            {
                return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.Throttled, verified.Token.Name);
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
            return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.StoreUnavailable);
        }
#pragma warning disable CA1031 // Authentication fails closed: a bug in a store or provider must not become a 500 for every waiter.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.VerificationFailed(_logger, ex);
            return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.StoreUnavailable);
        }
    }

    private async Task<ApiTokenVerificationResult> LoadAndVerifyCoreAsync(Request request, IApiTokenAccountProvider accounts, IApiTokenStore store)
    {
        var (_, userName, selector, secret, digest, stale, nativeValue) = request;

        // Read the generation before the store: a change that lands meanwhile makes this fill stale at once.
        var globalGeneration = _cache.GlobalGeneration;
        var account = await accounts.FindByUserNameAsync(userName, CancellationToken.None).ConfigureAwait(false);
        if (account is null || !string.Equals(account.UserName, userName, StringComparison.Ordinal))
        {
            return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.UnknownUser);
        }

        var accountGeneration = _cache.GenerationOf(account.Id);

        // The account may have changed between the two reads above; read it again by id under this generation.
        account = await accounts.FindByIdAsync(account.Id, CancellationToken.None).ConfigureAwait(false);
        if (account is null || !string.Equals(account.UserName, userName, StringComparison.Ordinal))
        {
            return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.UnknownUser);
        }

        // Twice at most: an upgrade or rehash that finds the row revoked or changed since it was read reads it again, and the
        // request is judged on what is stored now, never on the row it read first.
        for (var pass = 0; ; pass++)
        {
            var (token, previous) = await FindAsync(store, account.Id, selector).ConfigureAwait(false);

            // A native-format value no native row has: while rows made from cPanel credentials are stored, it may be one of them,
            // found by its digest selector (one more indexed read) and proven whole. A found native token never comes here.
            if (token is null && nativeValue is not null && await _legacy.MayExistAsync().ConfigureAwait(false))
            {
                (token, previous) = await FindAsync(store, account.Id, LegacyTokens.SelectorFor(nativeValue)).ConfigureAwait(false);
            }

            // A rotated token's previous value past its grace period is refused as a revoked one is: no Argon2, no name.
            if (token is null || (previous && !token.IsPreviousValueLiveAt(new DateTimeOffset(_cache.NowTicks, TimeSpan.Zero))))
            {
                return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.UnknownToken);
            }

            // The value is proven against the hash of the selector it was found by (the previous one's during a grace period),
            // under that selector's wrong-secret window. A digest-selector value proves the whole value; a native one the secret
            // after its selector.
            var (provenSelector, hash) = previous ? (token.PreviousSelector!, token.PreviousSecretHash!) : (token.Selector, token.SecretHash);
            var proof = LegacyTokens.IsDigestSelector(provenSelector) ? nativeValue ?? secret : secret;
            var proven = stale is not null
                && string.Equals(stale.ProvenHash, hash, StringComparison.Ordinal)
                && CryptographicOperations.FixedTimeEquals(stale.SecretDigest, digest);

            if (!proven)
            {
                switch (await _gate.VerifyAsync(account.Id, provenSelector, hash, proof, CancellationToken.None).ConfigureAwait(false))
                {
                    case GateVerdict.Throttled:
                        return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.Throttled, token.Name);
                    case GateVerdict.Failed:
                        return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.WrongSecret, token.Name);
                    case GateVerdict.SuccessRehashNeeded when previous:
                        // Never rewritten: the row's hash is the new value's, and a previous SHA-512 goes with its grace period.
                        break;
                    case GateVerdict.SuccessRehashNeeded:
                        var rewritten = LegacySecretHash.IsSha512(token.SecretHash)
                            ? await _upgrader.UpgradeImportedAsync(store, token, proof).ConfigureAwait(false)
                            : await _upgrader.RehashAsync(store, token, proof).ConfigureAwait(false);
                        if (rewritten is null)
                        {
                            if (pass == 0)
                            {
                                continue;
                            }

                            return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.Throttled, token.Name);
                        }

                        token = rewritten;
                        break;
                }
            }

            if (previous)
            {
                Log.PreviousValueUsed(_logger, token.Name, userName, token.PreviousSecretExpiresAt!.Value);
            }

            return ApiTokenVerificationResult.Success(
                new VerifiedToken(account, token, digest, accountGeneration, globalGeneration, _cache.NowTicks, previous));
        }
    }

    /// <summary>
    /// The token of <paramref name="accountId"/> whose selector is exactly <paramref name="selector"/>, or whose previous
    /// selector is (<c>Previous</c>: a rotated token's old value; the caller checks its grace period); null when none.
    /// </summary>
    private static async Task<(ApiToken? Token, bool Previous)> FindAsync(IApiTokenStore store, string accountId, string selector)
    {
        var token = await store.FindBySelectorAsync(accountId, selector, CancellationToken.None).ConfigureAwait(false);
        if (token is null || !string.Equals(token.AccountId, accountId, StringComparison.Ordinal))
        {
            return (null, false);
        }

        return string.Equals(token.Selector, selector, StringComparison.Ordinal) ? (token, false)
            : string.Equals(token.PreviousSelector, selector, StringComparison.Ordinal) ? (token, true)
            : (null, false);
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
