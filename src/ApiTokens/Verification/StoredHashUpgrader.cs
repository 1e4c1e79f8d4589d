using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// What a verification writes back after it proved a token's <em>current</em> value against a hash that should not stay: an
/// Argon2id with weaker parameters than today's (<see cref="RehashAsync"/>), or the <c>$sha512$</c> of a token imported from cPanel
/// (<see cref="UpgradeImportedAsync"/>). Never used for a rotated token's previous value: the row's current hash belongs to
/// another secret. Part of <see cref="ApiTokenVerifier"/>'s slow path, with its logger.
/// </summary>
internal sealed class StoredHashUpgrader(HashGate gate, ApiTokenFormat format, ILogger logger)
{
    /// <summary>
    /// Stores a hash made with today's parameters; keeps the old one when the gate is busy or the store fails. Null when the row
    /// was revoked or changed since it was read: the caller reads it again.
    /// </summary>
    public async Task<ApiToken?> RehashAsync(IApiTokenStore store, ApiToken token, string secret)
    {
        var hash = await gate.HashAsync(secret, CancellationToken.None).ConfigureAwait(false);
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
                Log.Rehashed(logger, token.Name);
                return upgraded;
            }

            if (result is ApiTokenStoreResult.NotFound or ApiTokenStoreResult.ConcurrencyFailure)
            {
                return null;
            }
        }
        catch (Exception ex) when (StoreFaults.IsStoreFault(ex))
        {
            Log.StoreUnavailable(logger, ex);
        }

        return token;
    }

    /// <summary>
    /// An imported token just proven by its SHA-512: store the native form now, so the SHA-512 never outlives this first use. A
    /// value of the native format moves to its native selector with the Argon2id of its secret, exactly as a token made here;
    /// any other value (a Remote Access Key) keeps its digest selector with the Argon2id of the whole value. Name, creation time,
    /// expiry, privileges and whitelist stay. Keeps the imported row (and says so) when the gate is busy or the store fails; null
    /// when the row was revoked or changed since it was read (another node's upgrade too): the caller reads it again.
    /// </summary>
    public async Task<ApiToken?> UpgradeImportedAsync(IApiTokenStore store, ApiToken token, string value)
    {
        var native = format.TryParse(value, out var nativeSelector, out var nativeSecret);
        var (selector, secret) = native ? (nativeSelector.ToString(), nativeSecret.ToString()) : (token.Selector, value);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var hash = await gate.HashAsync(secret, CancellationToken.None).ConfigureAwait(false);
            if (hash is null)
            {
                Log.LegacyTokenNotUpgraded(logger, token.Name, "busy");
                return token;
            }

            var upgraded = token with { Selector = selector, SecretHash = hash, ConcurrencyStamp = Guid.NewGuid().ToString("N") };
            try
            {
                switch (await store.UpdateAsync(upgraded, token.ConcurrencyStamp, CancellationToken.None).ConfigureAwait(false))
                {
                    case ApiTokenStoreResult.Success:
                        Log.LegacyTokenUpgraded(logger, token.Name);
                        return upgraded;
                    case ApiTokenStoreResult.DuplicateSelector when selector != token.Selector:
                        // Astronomically rare: a native token of the account starts like this value. Keep the digest selector.
                        (selector, secret) = (token.Selector, value);
                        continue;
                    case ApiTokenStoreResult.NotFound or ApiTokenStoreResult.ConcurrencyFailure:
                        return null; // revoked or changed meanwhile, or upgraded by another node: judged on the row stored now
                    case var other:
                        Log.LegacyTokenNotUpgraded(logger, token.Name, other.ToString());
                        return token;
                }
            }
            catch (Exception ex) when (StoreFaults.IsStoreFault(ex))
            {
                Log.StoreUnavailable(logger, ex);
                return token;
            }
        }

        return token;
    }
}
