using Microsoft.Extensions.Logging;

namespace ApiTokens;

public sealed partial class ApiTokenManager
{
    /// <summary>
    /// Leak checks count wrong values in failure windows of their own (this before the account id), so a stream of wrong reports
    /// for a selector never throttles its owner's authentication; they are bounded by the same per-selector limit all the same.
    /// </summary>
    private const string LeakWindowPrefix = "\0leak\n";

    /// <summary>
    /// Revokes every token whose value is in <paramref name="values"/> (a leak report; <c>MapLeakedTokenRevocation</c>), in any
    /// account: a value that is a token's current value deletes the token; a value that is a rotated token's previous value, still
    /// in its grace period, ends that grace period and keeps the token. Each is announced to every node, audited as
    /// <see cref="ApiTokenAuditAction.RevokedAsLeaked"/> (with <paramref name="reporter"/> as the actor) and passed to every
    /// <paramref name="handlers"/>. What it did is for the log only: the reporter must never learn it.
    /// </summary>
    /// <remarks>
    /// Duplicates are checked once. A value is parsed with the token format (prefix and checksum too) before any lookup; one that
    /// does not parse costs nothing more, unless <paramref name="lookUpImported"/> (rows made from cPanel credentials are stored)
    /// and it may be one of those, when it costs one SHA-512 and one lookup by its digest selector. A found candidate costs one
    /// hash check through the gate. A store fault answers <see cref="ApiTokenErrors.StoreUnavailable"/> (what was revoked before it
    /// stays revoked).
    /// </remarks>
    internal Task<ApiTokenResult<LeakReport>> RevokeLeakedAsync(
        IReadOnlyList<string> values,
        ApiTokenActor? reporter,
        IReadOnlyList<IApiTokenLeakHandler> handlers,
        bool lookUpImported,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(handlers);
        return GuardAsync(
            () => RevokeLeakedCoreAsync(values, reporter, handlers, lookUpImported, cancellationToken), "leak-revocation", cancellationToken);
    }

    private async Task<ApiTokenResult<LeakReport>> RevokeLeakedCoreAsync(
        IReadOnlyList<string> values, ApiTokenActor? reporter, IReadOnlyList<IApiTokenLeakHandler> handlers, bool lookUpImported,
        CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var report = default(LeakReport);
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value) || !seen.Add(value))
            {
                continue;
            }

            if (NativeLookup(value) is { } native)
            {
                report = Add(report, await CheckLeakedAsync(native.Selector, native.Secret, reporter, handlers, cancellationToken).ConfigureAwait(false));
            }

            // The default format is cPanel's, so a native-looking value may also be a cPanel token imported and not used since.
            if (lookUpImported && LegacyTokens.IsCandidate(value))
            {
                report = Add(report, await CheckLeakedAsync(LegacyTokens.SelectorFor(value), value, reporter, handlers, cancellationToken).ConfigureAwait(false));
            }
        }

        return ApiTokenResult<LeakReport>.Success(report with { Distinct = seen.Count });

        static LeakReport Add(LeakReport sum, LeakReport one) => new(
            0, sum.LookedUp + 1, sum.Revoked + one.Revoked, sum.PreviousEnded + one.PreviousEnded, sum.Unchecked + one.Unchecked);
    }

    private (string Selector, string Secret)? NativeLookup(string value) =>
        _format.TryParse(value, out var selector, out var secret) ? (selector.ToString(), secret.ToString()) : null;

    /// <summary>
    /// Every token of any account whose selector or live previous selector is <paramref name="selector"/>, proven by
    /// <paramref name="proof"/> (the secret after a native selector; the whole value for a digest selector).
    /// </summary>
    private async Task<LeakReport> CheckLeakedAsync(
        string selector, string proof, ApiTokenActor? reporter, IReadOnlyList<IApiTokenLeakHandler> handlers, CancellationToken cancellationToken)
    {
        var candidates = await _store.FindAllBySelectorAsync(selector, cancellationToken).ConfigureAwait(false);
        int revoked = 0, ended = 0, notChecked = 0;
        foreach (var candidate in candidates)
        {
            // Exact case again: a SQL collation may have matched another.
            var current = string.Equals(candidate.Selector, selector, StringComparison.Ordinal);
            var previous = !current && string.Equals(candidate.PreviousSelector, selector, StringComparison.Ordinal)
                && candidate.IsPreviousValueLiveAt(Now());
            if (!current && !previous)
            {
                continue;
            }

            var hash = current ? candidate.SecretHash : candidate.PreviousSecretHash!;
            var verdict = await _gate.VerifyAsync(LeakWindowPrefix + candidate.AccountId, selector, hash, proof, cancellationToken).ConfigureAwait(false);
            switch (verdict)
            {
                case GateVerdict.Throttled:
                    notChecked++;
                    break;
                case GateVerdict.Success or GateVerdict.SuccessRehashNeeded when current:
                    revoked += await RevokeAsLeakedAsync(candidate, reporter, handlers, cancellationToken).ConfigureAwait(false) ? 1 : 0;
                    break;
                case GateVerdict.Success or GateVerdict.SuccessRehashNeeded:
                    ended += await EndPreviousAsLeakedAsync(candidate, selector, hash, reporter, handlers, cancellationToken).ConfigureAwait(false) ? 1 : 0;
                    break;
            }
        }

        return new LeakReport(0, 0, revoked, ended, notChecked);
    }

    /// <summary>
    /// Deletes a token whose current value was reported (expired or not: an expired token can be given a later expiry, and a
    /// suspended owner can be unsuspended), then drops it from every node's cache. False when it was already gone.
    /// </summary>
    private async Task<bool> RevokeAsLeakedAsync(
        ApiToken token, ApiTokenActor? reporter, IReadOnlyList<IApiTokenLeakHandler> handlers, CancellationToken cancellationToken)
    {
        if (!await _store.DeleteAsync(token.AccountId, token.Id, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await _notifier.AccountChangedAsync(token.AccountId, cancellationToken).ConfigureAwait(false);
        await ReportLeakAsync(token, previousValueOnly: false, reporter, handlers, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Ends the grace period of a rotated token's previous value (proven to be <paramref name="hash"/>'s) and keeps the token with
    /// its current value. A concurrent change is read again (the previous value must still be the one proven, and live); false
    /// when it is no longer there (rotated again, revoked or expired meanwhile).
    /// </summary>
    private async Task<bool> EndPreviousAsLeakedAsync(
        ApiToken token, string selector, string hash, ApiTokenActor? reporter, IReadOnlyList<IApiTokenLeakHandler> handlers,
        CancellationToken cancellationToken)
    {
        var current = token;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var ended = current with
            {
                PreviousSelector = null,
                PreviousSecretHash = null,
                PreviousSecretExpiresAt = null,
                ConcurrencyStamp = NewStamp(),
            };
            var result = await _store.UpdateAsync(ended, current.ConcurrencyStamp, cancellationToken).ConfigureAwait(false);
            if (result == ApiTokenStoreResult.Success)
            {
                await _notifier.AccountChangedAsync(current.AccountId, cancellationToken).ConfigureAwait(false);
                await ReportLeakAsync(current, previousValueOnly: true, reporter, handlers, cancellationToken).ConfigureAwait(false);
                return true;
            }

            if (result != ApiTokenStoreResult.ConcurrencyFailure)
            {
                return false;
            }

            var reread = await _store.FindBySelectorAsync(current.AccountId, selector, cancellationToken).ConfigureAwait(false);
            if (reread is null || reread.Id != current.Id
                || !string.Equals(reread.PreviousSelector, selector, StringComparison.Ordinal)
                || !string.Equals(reread.PreviousSecretHash, hash, StringComparison.Ordinal)
                || !reread.IsPreviousValueLiveAt(Now()))
            {
                return false;
            }

            current = reread;
        }

        return false;
    }

    /// <summary>The audit event and the host's handlers for one revocation; neither can undo it.</summary>
    private async Task ReportLeakAsync(
        ApiToken token, bool previousValueOnly, ApiTokenActor? reporter, IReadOnlyList<IApiTokenLeakHandler> handlers, CancellationToken cancellationToken)
    {
        var time = Now();
        ApiTokenAccount? owner = null;
        try
        {
            owner = await _accounts.FindByIdAsync(token.AccountId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StoreFaults.IsStoreFault(ex) && !cancellationToken.IsCancellationRequested)
        {
            // The token is revoked already: audit it under its account id rather than not at all.
            Log.StoreFault(_logger, ex, "leak-revocation");
        }

        await _audit.WriteAsync(
            ApiTokenAuditAction.RevokedAsLeaked, owner, token.AccountId, token.Name, null, reporter, cancellationToken,
            expiresAt: previousValueOnly ? time : null).ConfigureAwait(false);

        var leak = new ApiTokenLeak(token, owner, previousValueOnly, reporter?.RemoteAddress, time);
        foreach (var handler in handlers)
        {
            try
            {
                await handler.OnTokenLeakedAsync(leak, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A host's callback must never undo a revocation nor fail the report.
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                Log.LeakHandlerFailed(_logger, ex, handler.GetType().Name, token.Name);
            }
        }
    }
}
