using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// Proves a presented <c>user:token</c>: the hot path of every request. A cached token costs one HMAC and a
/// fixed-time compare; an uncached one costs an account lookup, one indexed store read by selector and one
/// Argon2 verification, run once however many requests ask at the same time.
/// </summary>
public sealed partial class ApiTokenVerifier
{
    private static readonly byte[] DigestKey = RandomNumberGenerator.GetBytes(32);

    // One keyed HMAC state per thread: the one-shot HMACSHA256.HashData sets up a new keyed context per call,
    // which costs several times the hash itself on the cached path.
    [ThreadStatic]
    private static IncrementalHash? t_digest;

    private readonly ApiTokenCache _cache;
    private readonly ApiTokenFormat _format;
    private readonly IApiTokenHasher _hasher;
    private readonly ILogger _logger;

    /// <summary>
    /// Creates the verifier. Normally resolved from dependency injection (singleton): the store and the account
    /// provider, which may be scoped, are resolved from the request's services, and only on a cache miss.
    /// </summary>
    public ApiTokenVerifier(
        ApiTokenCache cache,
        ApiTokenFormat format,
        IApiTokenHasher hasher,
        ILogger<ApiTokenVerifier> logger)
    {
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _format = format ?? throw new ArgumentNullException(nameof(format));
        _hasher = hasher ?? throw new ArgumentNullException(nameof(hasher));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>
    /// Verifies <paramref name="token"/> presented for <paramref name="userName"/> from <paramref name="remoteAddress"/>.
    /// Never throws for bad input; fails closed when the store is unreachable.
    /// </summary>
    /// <param name="userName">The user name from the header.</param>
    /// <param name="token">The token from the header.</param>
    /// <param name="remoteAddress">The client's address, for the whitelist.</param>
    /// <param name="services">The request's services: <see cref="IApiTokenAccountProvider"/> and <see cref="IApiTokenStore"/> come from here on a cache miss.</param>
    /// <param name="cancellationToken">Unused on the cached path; the shared slow path runs to completion for every waiter.</param>
    public ValueTask<ApiTokenVerificationResult> VerifyAsync(
        ReadOnlySpan<char> userName, ReadOnlySpan<char> token, IPAddress? remoteAddress, IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
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
            _cache.RecordFailure(cached.Account.Id, cached.Token.Selector, now);
            return ValueTask.FromResult(ApiTokenVerificationResult.Fail(ApiTokenFailureReason.WrongSecret, cached.Token.Name));
        }

        return VerifySlowAsync(key, userName.ToString(), selector.ToString(), secret.ToString(), digest.ToArray(), cached, remoteAddress, services);
    }

    private async ValueTask<ApiTokenVerificationResult> VerifySlowAsync(
        string key, string userName, string selector, string secret, byte[] digest, VerifiedToken? stale, IPAddress? remoteAddress, IServiceProvider services)
    {
        var flightKey = string.Concat(key, ":", Convert.ToHexString(digest));
        for (var attempt = 0; ; attempt++)
        {
            var result = await LoadOnceAsync(flightKey, key, userName, selector, secret, digest, stale, services).ConfigureAwait(false);
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

            stale = verified;
        }
    }

    /// <summary>Runs <see cref="LoadAndVerifyAsync"/> once for all concurrent requests presenting the same credential.</summary>
    private async Task<ApiTokenVerificationResult> LoadOnceAsync(
        string flightKey, string key, string userName, string selector, string secret, byte[] digest, VerifiedToken? stale, IServiceProvider services)
    {
        var leader = new TaskCompletionSource<ApiTokenVerificationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flight = _cache.InFlight.GetOrAdd(flightKey, leader.Task);
        if (flight != leader.Task)
        {
            return await flight.ConfigureAwait(false);
        }

        var result = await LoadAndVerifyAsync(key, userName, selector, secret, digest, stale, services).ConfigureAwait(false);

        // Leave the flight before answering, so a waiter that must check again starts a new one.
        _cache.InFlight.TryRemove(new KeyValuePair<string, Task<ApiTokenVerificationResult>>(flightKey, leader.Task));
        leader.SetResult(result);
        return result;
    }

    /// <summary>Resolves account and token, proves the secret. Never throws: anything unexpected fails closed.</summary>
    private async Task<ApiTokenVerificationResult> LoadAndVerifyAsync(
        string key, string userName, string selector, string secret, byte[] digest, VerifiedToken? stale, IServiceProvider services)
    {
        try
        {
            return await LoadAndVerifyCoreAsync(key, userName, selector, secret, digest, stale, services).ConfigureAwait(false);
        }
        catch (Exception ex) when (StoreFaults.IsStoreFault(ex))
        {
            LogStoreUnavailable(ex);
            return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.StoreUnavailable);
        }
#pragma warning disable CA1031 // Authentication fails closed: a bug in a store or provider must not become a 500 for every waiter.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogVerificationFailed(ex);
            return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.StoreUnavailable);
        }
    }

    private async Task<ApiTokenVerificationResult> LoadAndVerifyCoreAsync(
        string key, string userName, string selector, string secret, byte[] digest, VerifiedToken? stale, IServiceProvider services)
    {
        var accounts = services.GetRequiredService<IApiTokenAccountProvider>();
        var store = services.GetRequiredService<IApiTokenStore>();
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

        var now = _cache.NowTicks;
        var proven = stale is not null
            && string.Equals(stale.Token.SecretHash, token.SecretHash, StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(stale.SecretDigest, digest);

        if (!proven)
        {
            if (_cache.IsThrottled(account.Id, selector, now))
            {
                return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.Throttled, token.Name);
            }

            if (!await _cache.HashSlots.WaitAsync(_cache.Options.HashQueueTimeout).ConfigureAwait(false))
            {
                return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.Throttled, token.Name);
            }

            try
            {
                // Wrong secrets recorded while this request queued for a slot count too: check the limit again.
                if (_cache.IsThrottled(account.Id, selector, _cache.NowTicks))
                {
                    return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.Throttled, token.Name);
                }

                proven = _hasher.Verify(token.SecretHash, secret);
            }
            finally
            {
                _cache.HashSlots.Release();
            }

            if (!proven)
            {
                _cache.RecordFailure(account.Id, selector, now);
                return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.WrongSecret, token.Name);
            }

            token = await RehashIfNeededAsync(store, token, secret).ConfigureAwait(false);
        }

        var verified = new VerifiedToken(account, token, digest, accountGeneration, globalGeneration, now);
        _cache.Set(key, verified);
        return ApiTokenVerificationResult.Success(verified);
    }

    private ApiTokenVerificationResult Authorize(VerifiedToken entry, IPAddress? remoteAddress, long nowTicks)
    {
        if (entry.Token.ExpiresAt is { } expiresAt && expiresAt.UtcTicks < nowTicks)
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

    private async Task<ApiToken> RehashIfNeededAsync(IApiTokenStore store, ApiToken token, string secret)
    {
        if (!_hasher.NeedsRehash(token.SecretHash))
        {
            return token;
        }

        var upgraded = token with { SecretHash = _hasher.Hash(secret), ConcurrencyStamp = Guid.NewGuid().ToString("N") };
        try
        {
            var result = await store.UpdateAsync(upgraded, token.ConcurrencyStamp, CancellationToken.None).ConfigureAwait(false);
            if (result == ApiTokenStoreResult.Success)
            {
                LogRehashed(token.Name);
                return upgraded;
            }
        }
        catch (Exception ex) when (StoreFaults.IsStoreFault(ex))
        {
            LogStoreUnavailable(ex);
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


    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "API token store or account provider unavailable; authentication fails closed")]
    private partial void LogStoreUnavailable(Exception exception);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "API token verification failed unexpectedly; authentication fails closed")]
    private partial void LogVerificationFailed(Exception exception);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Upgraded the hash parameters of API token {TokenName}")]
    private partial void LogRehashed(string tokenName);
}
