using System.Diagnostics;
using System.Security.Cryptography;

namespace ApiTokens;

/// <summary>The verifier's store side: account and token lookups, the secret's proof, and what a lookup that found nothing leaves.</summary>
internal sealed partial class ApiTokenVerifier
{
    /// <summary>
    /// The account by name (read again by id under its generation), the token by selector (then by digest selector while imported
    /// cPanel rows may exist), the secret proven through the gate, a weak or imported hash rewritten. An unknown account or token is
    /// remembered (<see cref="NegativeLookupCache"/>).
    /// </summary>
    private async Task<ApiTokenVerificationResult> LoadAndVerifyCoreAsync(Request request, IApiTokenAccountProvider accounts, IApiTokenStore store)
    {
        var (_, userName, selector, secret, digest, stale, nativeValue) = request;

        // Read the generations before the store: a change that lands meanwhile makes this fill (or a negative one) stale at once.
        var globalGeneration = _cache.GlobalGeneration;
        var changes = _cache.Changes;
        var started = Stopwatch.GetTimestamp();
        var account = await accounts.FindByUserNameAsync(userName, CancellationToken.None).ConfigureAwait(false);
        _metrics.StoreCalled(ApiTokensMetrics.FindUser, started);
        if (account is null || !string.Equals(account.UserName, userName, StringComparison.Ordinal))
        {
            _cache.Negative.SetUnknownUser(userName, changes, globalGeneration, _cache.NowTicks);
            return ApiTokenVerificationResult.Fail(ApiTokenFailureReason.UnknownUser);
        }

        var accountGeneration = _cache.GenerationOf(account.Id);

        // The account may have changed between the two reads above; read it again by id under this generation.
        started = Stopwatch.GetTimestamp();
        account = await accounts.FindByIdAsync(account.Id, CancellationToken.None).ConfigureAwait(false);
        _metrics.StoreCalled(ApiTokensMetrics.FindAccount, started);
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
                await RememberSelectorsAsync(store, userName, account.Id, accountGeneration, globalGeneration).ConfigureAwait(false);
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
                    case GateVerdict.Busy:
                        return ApiTokenVerificationResult.Unavailable(ApiTokenFailureReason.Busy, _busyRetryAfterSeconds, token.Name);
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

                            return ApiTokenVerificationResult.Unavailable(ApiTokenFailureReason.Busy, ChurnRetryAfterSeconds, token.Name);
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
    /// After an unknown token: the account's first one leaves a mark; a second one within the negative lifetime lists the account's
    /// selectors, so the next made-up selectors for it are refused with no store read. A store fault here changes nothing: the
    /// refusal stands.
    /// </summary>
    private async Task RememberSelectorsAsync(IApiTokenStore store, string userName, string accountId, long accountGeneration, long globalGeneration)
    {
        var negative = _cache.Negative;
        if (!negative.ShouldList(userName, accountId, accountGeneration, globalGeneration, _cache.NowTicks))
        {
            return;
        }

        try
        {
            var started = Stopwatch.GetTimestamp();
            var page = await store.ListAsync(accountId, ApiTokenQuery.All, CancellationToken.None).ConfigureAwait(false);
            _metrics.StoreCalled(ApiTokensMetrics.ListSelectors, started);
            negative.SetAccount(userName, accountId, accountGeneration, globalGeneration, page, _cache.NowTicks);
        }
        catch (Exception ex) when (StoreFaults.IsStoreFault(ex))
        {
            // Nothing remembered; the next unknown token asks the store again.
        }
    }

    /// <summary>
    /// The token of <paramref name="accountId"/> whose selector is exactly <paramref name="selector"/>, or whose previous
    /// selector is (<c>Previous</c>: a rotated token's old value; the caller checks its grace period); null when none.
    /// </summary>
    private async Task<(ApiToken? Token, bool Previous)> FindAsync(IApiTokenStore store, string accountId, string selector)
    {
        var started = Stopwatch.GetTimestamp();
        var token = await store.FindBySelectorAsync(accountId, selector, CancellationToken.None).ConfigureAwait(false);
        _metrics.StoreCalled(ApiTokensMetrics.FindBySelector, started);
        if (token is null || !string.Equals(token.AccountId, accountId, StringComparison.Ordinal))
        {
            return (null, false);
        }

        return string.Equals(token.Selector, selector, StringComparison.Ordinal) ? (token, false)
            : string.Equals(token.PreviousSelector, selector, StringComparison.Ordinal) ? (token, true)
            : (null, false);
    }
}
