namespace ApiTokens;

public sealed partial class ApiTokenManager
{
    /// <summary>
    /// Gives the token <paramref name="name"/> of <paramref name="accountId"/> a new value and returns it, once: same id, name,
    /// privileges, expiry and whitelist. The old value keeps authenticating for <paramref name="gracePeriod"/> (0, the default:
    /// it stops at once; at most <c>ApiTokens:Rotation:MaxGracePeriod</c>), then is refused like a revoked token, on every node.
    /// A second rotation ends the first one's grace period: only the value just replaced keeps working.
    /// </summary>
    /// <remarks>
    /// Runs one Argon2 through the bounded gate and counts as a create for <c>ApiTokens:Policy:MaxCreatesPerAccountPerMinute</c>.
    /// Refused for an expired token (create a new one), a suspended owner, or a grace period out of range; nothing changes then.
    /// </remarks>
    public Task<ApiTokenResult<RotatedApiToken>> RotateAsync(
        string accountId, string name, TimeSpan gracePeriod = default, ApiTokenActor? actor = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        return GuardAsync(() => RotateCoreAsync(accountId, name ?? string.Empty, gracePeriod, actor, cancellationToken), "rotate", cancellationToken);
    }

    private async Task<ApiTokenResult<RotatedApiToken>> RotateCoreAsync(
        string accountId, string name, TimeSpan gracePeriod, ApiTokenActor? actor, CancellationToken cancellationToken)
    {
        var maxGrace = _options.Rotation.MaxGracePeriod;
        if (gracePeriod < TimeSpan.Zero || gracePeriod > maxGrace)
        {
            return ApiTokenErrors.InvalidGracePeriod(maxGrace);
        }

        // A rotation counts as a create call (ApiTokens:Policy:MaxCreatesPerAccountPerMinute), before any read.
        if (!_limits.TryStartCreate(accountId))
        {
            return ApiTokenErrors.TooManyCreates(_limits.MaxCreatesPerMinute);
        }

        var owner = await _accounts.FindByIdAsync(accountId, cancellationToken).ConfigureAwait(false);
        if (owner is null)
        {
            return ApiTokenErrors.AccountNotFound;
        }

        if (owner.IsSuspended)
        {
            return ApiTokenErrors.AccountSuspended;
        }

        var current = await _store.FindByNameAsync(owner.Id, name, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return ApiTokenErrors.TokenNotFound(name);
        }

        var now = Now();
        if (current.IsExpiredAt(now))
        {
            return ApiTokenErrors.TokenExpired(name);
        }

        var reread = false;
        for (var attempt = 0; attempt < SelectorAttempts; attempt++)
        {
            // Whole seconds, as every stored time; a grace period of under a second stops the old value at once. The old value
            // never outlives the token itself.
            var previousUntil = UnixTime.Truncate(now + gracePeriod) ?? now;
            if (current.ExpiresAt is { } tokenExpiry && previousUntil > tokenExpiry)
            {
                previousUntil = tokenExpiry;
            }

            var keepPrevious = previousUntil > now;
            var generated = _format.Generate();
            var hash = await _gate.HashAsync(generated.Secret, cancellationToken).ConfigureAwait(false);
            if (hash is null)
            {
                return ApiTokenErrors.Busy;
            }

            var rotated = current with
            {
                Selector = generated.Selector,
                SecretHash = hash,
                PreviousSelector = keepPrevious ? current.Selector : null,
                PreviousSecretHash = keepPrevious ? current.SecretHash : null,
                PreviousSecretExpiresAt = keepPrevious ? previousUntil : null,
                ConcurrencyStamp = NewStamp(),
            };

            var result = await _store.UpdateAsync(rotated, current.ConcurrencyStamp, cancellationToken).ConfigureAwait(false);
            switch (result)
            {
                case ApiTokenStoreResult.Success:
                    // Every node drops what it cached for the account: the old value's entry (and, without a grace period,
                    // the old value itself) goes with it.
                    await _notifier.AccountChangedAsync(owner.Id, cancellationToken).ConfigureAwait(false);
                    await _audit.WriteAsync(
                        ApiTokenAuditAction.Rotated, owner, owner.Id, current.Name, null, actor, cancellationToken, expiresAt: previousUntil)
                        .ConfigureAwait(false);
                    return ApiTokenResult<RotatedApiToken>.Success(new RotatedApiToken(rotated, generated.Value, previousUntil));
                case ApiTokenStoreResult.DuplicateSelector:
                    continue; // astronomically rare: draw a new token
                case ApiTokenStoreResult.NotFound:
                    return ApiTokenErrors.TokenNotFound(name);
                case ApiTokenStoreResult.ConcurrencyFailure when !reread:
                    // A write that does not conflict with a rotation (a verifier's rehash: same selector, new hash) changed
                    // the stamp: read the row again, once, and rotate what is stored now. Another rotation (or an imported
                    // token's upgrade) moved the selector: rotating again would retire the value that one just handed out,
                    // so that is a concurrency failure the caller can retry.
                    reread = true;
                    var stored = await _store.FindByNameAsync(owner.Id, name, cancellationToken).ConfigureAwait(false);
                    if (stored is null)
                    {
                        return ApiTokenErrors.TokenNotFound(name);
                    }

                    if (stored.Id != current.Id || !string.Equals(stored.Selector, current.Selector, StringComparison.Ordinal))
                    {
                        return ApiTokenErrors.ConcurrencyFailure(name);
                    }

                    if (stored.IsExpiredAt(now))
                    {
                        return ApiTokenErrors.TokenExpired(name);
                    }

                    current = stored;
                    continue;
                case ApiTokenStoreResult.ConcurrencyFailure:
                    return ApiTokenErrors.ConcurrencyFailure(name);
                default:
                    throw new InvalidOperationException($"The store answered {result} to a rotation.");
            }
        }

        throw new InvalidOperationException("Could not draw a unique token selector.");
    }
}
