using Microsoft.Extensions.Logging;

namespace ApiTokens;

public sealed partial class ApiTokenManager
{
    /// <summary>
    /// Leak checks count wrong values in failure windows of their own (this, then the reporter's address partition, before the
    /// account id), so a stream of wrong reports for a selector never throttles its owner's authentication, nor anybody else's
    /// reports of it: only whoever sent them. Each reporter is bounded by the same per-selector limit all the same.
    /// </summary>
    private const string LeakWindowPrefix = "\0leak\n";

    /// <summary>
    /// Revokes every token whose value is in <paramref name="values"/> (a leak report; <c>MapLeakedTokenRevocation</c>), in any
    /// account: a value that is a token's current value deletes the token; a value that is a rotated token's previous value, still
    /// in its grace period, ends that grace period and keeps the token. Each is announced to every node, audited as
    /// <see cref="ApiTokenAuditAction.RevokedAsLeaked"/> (with the <paramref name="reporter"/>'s actor) and passed to every
    /// <paramref name="handlers"/> (with its address). What it did is for the log only: the reporter must
    /// never learn it.
    /// </summary>
    /// <remarks>
    /// Duplicates are checked once. A value is parsed with the token format (prefix and checksum too) before any lookup; one that
    /// does not parse costs nothing more, unless <paramref name="lookUpImported"/> (rows made from cPanel credentials are stored)
    /// and it may be one of those, when it costs one SHA-512 and one lookup by its digest selector. A found candidate costs one
    /// hash check through the gate, in the reporter's own failure windows, if its budget has a place for the reporter; a candidate
    /// not checked (no place, the reporter's window for that selector full, no Argon2 worker in time) is counted in
    /// <see cref="LeakReport.Unchecked"/>. A store fault answers <see cref="ApiTokenErrors.StoreUnavailable"/> (what was revoked
    /// before it stays revoked).
    /// </remarks>
    internal Task<ApiTokenResult<LeakReport>> RevokeLeakedAsync(
        IReadOnlyList<string> values,
        LeakReporter reporter,
        IReadOnlyList<IApiTokenLeakHandler> handlers,
        bool lookUpImported,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(reporter);
        ArgumentNullException.ThrowIfNull(handlers);
        return GuardAsync(
            () => RevokeLeakedCoreAsync(values, reporter, handlers, lookUpImported, cancellationToken), "leak-revocation", cancellationToken);
    }

    /// <summary>
    /// Whether <paramref name="value"/> could name a token at all (the token format, prefix and checksum included, or, when
    /// <paramref name="lookUpImported"/>, a cPanel token's shape): only such values cost a lookup.
    /// </summary>
    internal bool IsLeakCandidate(string value, bool lookUpImported) =>
        !string.IsNullOrEmpty(value) && (_format.TryParse(value, out _, out _) || (lookUpImported && LegacyTokens.IsCandidate(value)));

    private async Task<ApiTokenResult<LeakReport>> RevokeLeakedCoreAsync(
        IReadOnlyList<string> values, LeakReporter reporter, IReadOnlyList<IApiTokenLeakHandler> handlers, bool lookUpImported,
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
        string selector, string proof, LeakReporter reporter, IReadOnlyList<IApiTokenLeakHandler> handlers, CancellationToken cancellationToken)
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
            var verdict = await VerifyLeakedAsync(candidate.AccountId, selector, hash, proof, reporter, cancellationToken).ConfigureAwait(false);
            switch (verdict)
            {
                case GateVerdict.Success or GateVerdict.SuccessRehashNeeded when current:
                    revoked += await RevokeAsLeakedAsync(candidate, reporter, handlers, cancellationToken).ConfigureAwait(false) ? 1 : 0;
                    break;
                case GateVerdict.Success or GateVerdict.SuccessRehashNeeded:
                    ended += await EndPreviousAsLeakedAsync(candidate, selector, hash, reporter, handlers, cancellationToken).ConfigureAwait(false) ? 1 : 0;
                    break;
                case GateVerdict.Failed:
                    break; // not this token's value
                default:
                    // Throttled, Busy (no Argon2 worker in time), no budget, or any verdict added later: nothing is known about
                    // the value, so the report is answered 503 and sent again; never "not live", which would leave a leak alive.
                    notChecked++;
                    break;
            }
        }

        return new LeakReport(0, 0, revoked, ended, notChecked);
    }

    /// <summary>
    /// One hash check of a reported value, in the reporter's own failure window, if the reporter's budget of failed checks and
    /// the overall budget of checks have a place; <see langword="null"/> when they do not (nothing ran).
    /// </summary>
    private async ValueTask<GateVerdict?> VerifyLeakedAsync(
        string accountId, string selector, string hash, string proof, LeakReporter reporter, CancellationToken cancellationToken)
    {
        LeakCheckBudget.Reservation place = default;
        if (reporter.Budget is { } budget && !budget.TryReserve(reporter.Partition, out place))
        {
            return null;
        }

        GateVerdict? verdict = null;
        try
        {
            verdict = await _gate.VerifyAsync(
                string.Concat(LeakWindowPrefix, reporter.Partition, "\n", accountId), selector, hash, proof, cancellationToken).ConfigureAwait(false);
            return verdict;
        }
        finally
        {
            var ran = verdict is GateVerdict.Success or GateVerdict.SuccessRehashNeeded or GateVerdict.Failed;
            reporter.Budget?.Complete(place, ran, failed: verdict == GateVerdict.Failed);
        }
    }

    /// <summary>
    /// Deletes a token whose current value was reported (expired or not: an expired token can be given a later expiry, and a
    /// suspended owner can be unsuspended), then drops it from every node's cache. False when it was already gone.
    /// </summary>
    private async Task<bool> RevokeAsLeakedAsync(
        ApiToken token, LeakReporter reporter, IReadOnlyList<IApiTokenLeakHandler> handlers, CancellationToken cancellationToken)
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
        ApiToken token, string selector, string hash, LeakReporter reporter, IReadOnlyList<IApiTokenLeakHandler> handlers,
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
        ApiToken token, bool previousValueOnly, LeakReporter reporter, IReadOnlyList<IApiTokenLeakHandler> handlers, CancellationToken cancellationToken)
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
            ApiTokenAuditAction.RevokedAsLeaked, owner, token.AccountId, token.Name, null, reporter.Actor, cancellationToken,
            expiresAt: previousValueOnly ? time : null).ConfigureAwait(false);

        var leak = new ApiTokenLeak(token, owner, previousValueOnly, reporter.Address, time);
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
