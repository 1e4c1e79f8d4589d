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
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger _logger;

    /// <summary>
    /// A singleton: the store and the account provider, which may be scoped, are resolved in a scope of their own, and only on a
    /// cache miss. That scope is not the request's: services a host sets up per request (a tenant context, say) are not seen
    /// by the store or account provider here.
    /// </summary>
    public ApiTokenVerifier(VerifyCache cache, HashGate gate, ApiTokenFormat format, IServiceScopeFactory scopes, ILogger<ApiTokenVerifier> logger)
    {
        _cache = cache;
        _gate = gate;
        _format = format;
        _scopes = scopes;
        _logger = logger;
    }

    /// <summary>
    /// Verifies <paramref name="token"/> presented for <paramref name="userName"/> from <paramref name="remoteAddress"/>.
    /// Never throws for bad input; fails closed when the store is unreachable.
    /// </summary>
    public ValueTask<ApiTokenVerificationResult> VerifyAsync(ReadOnlySpan<char> userName, ReadOnlySpan<char> token, IPAddress? remoteAddress)
    {
        if (userName.IsEmpty || !_format.TryParse(token, out var selector, out var secret))
        {
            return ValueTask.FromResult(ApiTokenVerificationResult.Fail(ApiTokenFailureReason.Malformed));
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

            // A selector's secret never changes, so a current entry with another digest proves the secret wrong:
            // refuse it as fast as a right-but-refused one (no timing oracle), with no store read and no Argon2.
            _gate.RecordFailure(cached.Account.Id, cached.Token.Selector);
            return ValueTask.FromResult(ApiTokenVerificationResult.Fail(ApiTokenFailureReason.WrongSecret, cached.Token.Name));
        }

        var request = new Request(key, userName.ToString(), selector.ToString(), secret.ToString(), digest.ToArray(), cached);
        return VerifySlowAsync(request, remoteAddress);
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
        var (_, userName, selector, secret, digest, stale) = request;

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

        var token = await store.FindBySelectorAsync(account.Id, selector, CancellationToken.None).ConfigureAwait(false);
        if (token is null
            || !string.Equals(token.Selector, selector, StringComparison.Ordinal)
            || !string.Equals(token.AccountId, account.Id, StringComparison.Ordinal))
        {
            return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.UnknownToken);
        }

        var proven = stale is not null
            && string.Equals(stale.Token.SecretHash, token.SecretHash, StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(stale.SecretDigest, digest);

        if (!proven)
        {
            switch (await _gate.VerifyAsync(account.Id, selector, token.SecretHash, secret, CancellationToken.None).ConfigureAwait(false))
            {
                case GateVerdict.Throttled:
                    return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.Throttled, token.Name);
                case GateVerdict.Failed:
                    return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.WrongSecret, token.Name);
                case GateVerdict.SuccessRehashNeeded:
                    token = await RehashAsync(store, token, secret).ConfigureAwait(false);
                    break;
            }
        }

        return ApiTokenVerificationResult.Success(new VerifiedToken(account, token, digest, accountGeneration, globalGeneration, _cache.NowTicks));
    }

    private static ApiTokenVerificationResult Authorize(VerifiedToken entry, IPAddress? remoteAddress, long nowTicks)
    {
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

        return ApiTokenVerificationResult.Success(entry);
    }

    /// <summary>Stores a hash made with today's parameters; keeps the old one when the gate is busy or the store fails.</summary>
    private async Task<ApiToken> RehashAsync(IApiTokenStore store, ApiToken token, string secret)
    {
        var hash = await _gate.HashAsync(secret, CancellationToken.None).ConfigureAwait(false);
        if (hash is null)
        {
            return token;
        }

        var upgraded = token with { SecretHash = hash, ConcurrencyStamp = Guid.NewGuid().ToString("N") };
        try
        {
            var result = await store.UpdateAsync(upgraded, token.ConcurrencyStamp, CancellationToken.None).ConfigureAwait(false);
            if (result == ApiTokenStoreResult.Success)
            {
                Log.Rehashed(_logger, token.Name);
                return upgraded;
            }
        }
        catch (Exception ex) when (StoreFaults.IsStoreFault(ex))
        {
            Log.StoreUnavailable(_logger, ex);
        }

        return token;
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

    /// <summary>What a cache miss carries to the slow path.</summary>
    private sealed record Request(string Key, string UserName, string Selector, string Secret, byte[] Digest, VerifiedToken? Stale);
}
