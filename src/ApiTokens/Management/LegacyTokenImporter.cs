using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// Brings credentials made on a cPanel server into the store, with the manager's rules: a token file's entries
/// (<see cref="WhmTokenFile"/>) keep their SHA-512 under a digest selector until each token's first use (see
/// <see cref="LegacyTokens"/>); a Remote Access Key becomes a full-access token hashed with Argon2id at once. A file is imported
/// whole or not at all: every entry is checked (name, privileges, whitelist, clashes with stored tokens) before the first is
/// stored, and one that fails to store removes the others again.
/// </summary>
internal sealed class LegacyTokenImporter(
    IApiTokenStore store,
    IApiTokenAccountProvider accounts,
    HashGate gate,
    TokenLimits limits,
    LegacyTokenIndex index,
    IApiTokenChangeNotifier notifier,
    AuditWriter audit,
    TimeProvider time,
    ILogger<ApiTokenManager> logger)
{
    public Task<ApiTokenResult<IReadOnlyList<ApiToken>>> ImportAsync(
        string accountId, IReadOnlyList<WhmTokenFileEntry> entries, ApiTokenActor? actor, CancellationToken cancellationToken) =>
        StoreGuard.WriteAsync(() => ImportCoreAsync(accountId, entries, actor, cancellationToken), "import", logger, cancellationToken);

    public Task<ApiTokenResult<ApiToken>> ConvertAccessHashAsync(
        string accountId, string accessHash, ApiTokenActor? actor, CancellationToken cancellationToken) =>
        StoreGuard.WriteAsync(() => ConvertCoreAsync(accountId, accessHash, actor, cancellationToken), "convert-accesshash", logger, cancellationToken);

    /// <summary>What cPanel's <c>convert_accesshash_to_token</c> does to the key: every whitespace character removed.</summary>
    public static string RemoveWhitespace(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private async Task<ApiTokenResult<IReadOnlyList<ApiToken>>> ImportCoreAsync(
        string accountId, IReadOnlyList<WhmTokenFileEntry> entries, ApiTokenActor? actor, CancellationToken cancellationToken)
    {
        var owner = await accounts.FindByIdAsync(accountId, cancellationToken).ConfigureAwait(false);
        if (owner is null)
        {
            return ApiTokenErrors.AccountNotFound;
        }

        var now = UnixTime.Now(time);
        var rows = new List<ApiToken>(entries.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var checkedEntry = await CheckAsync(owner, entry, now, cancellationToken).ConfigureAwait(false);
            if (!checkedEntry.Succeeded)
            {
                return checkedEntry.Error;
            }

            if (!names.Add(entry.Name))
            {
                return Refuse(Messages.ImportRepeatedName(entry.Name));
            }

            rows.Add(checkedEntry.Value);
        }

        var stored = new List<ApiToken>(rows.Count);
        try
        {
            foreach (var row in rows)
            {
                var result = await store.CreateAsync(row, cancellationToken).ConfigureAwait(false);
                if (result != ApiTokenStoreResult.Success)
                {
                    // Another writer took a name or selector since the check: undo, so the file is imported whole or not at all.
                    await RemoveAsync(stored).ConfigureAwait(false);
                    return result == ApiTokenStoreResult.DuplicateName
                        ? Refuse(Messages.ImportNameTaken(row.Name))
                        : Refuse(Messages.ImportAlreadyImported(row.Name));
                }

                stored.Add(row);
            }
        }
        catch
        {
            await RemoveAsync(stored).ConfigureAwait(false);
            throw;
        }

        index.SetPresent();
        await notifier.AccountChangedAsync(owner.Id, cancellationToken).ConfigureAwait(false);
        foreach (var row in stored)
        {
            await audit.WriteAsync(ApiTokenAuditAction.Imported, owner, owner.Id, row.Name, null, actor, cancellationToken).ConfigureAwait(false);
        }

        return ApiTokenResult<IReadOnlyList<ApiToken>>.Success(stored);
    }

    /// <summary>One entry as the row it becomes, checked as the manager checks a create (the expiry may be past: it is kept).</summary>
    private async Task<ApiTokenResult<ApiToken>> CheckAsync(ApiTokenAccount owner, WhmTokenFileEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!TokenNames.IsValid(entry.Name))
        {
            return Refuse(Messages.ImportEntryRefused(entry.Name, ApiTokenErrors.InvalidName(entry.Name).Message));
        }

        var checkedLimits = limits.Check(owner, entry.Acls, null, entry.WhitelistIps, now);
        if (!checkedLimits.Succeeded)
        {
            return Refuse(Messages.ImportEntryRefused(entry.Name, checkedLimits.Error.Message));
        }

        // The same hash first: importing a file twice says so, rather than that the names are taken.
        var selector = LegacyTokens.SelectorForHash(entry.Sha512Hex);
        if (await store.FindBySelectorAsync(owner.Id, selector, cancellationToken).ConfigureAwait(false) is not null)
        {
            return Refuse(Messages.ImportAlreadyImported(entry.Name));
        }

        if (await store.FindByNameAsync(owner.Id, entry.Name, cancellationToken).ConfigureAwait(false) is { } sameName
            && string.Equals(sameName.Name, entry.Name, StringComparison.Ordinal))
        {
            return Refuse(Messages.ImportNameTaken(entry.Name));
        }

        var (acls, whitelist) = checkedLimits.Value;
        var createdAt = entry.CreatedAt ?? now;
        return ApiTokenResult<ApiToken>.Success(new ApiToken
        {
            Id = Guid.CreateVersion7(createdAt),
            AccountId = owner.Id,
            Name = entry.Name,
            Selector = selector,
            SecretHash = LegacyTokens.Sha512SecretHash(entry.Sha512Hex),
            CreatedAt = createdAt,
            ExpiresAt = entry.ExpiresAt,
            Acls = acls,
            WhitelistIps = whitelist is { Count: 0 } ? null : whitelist,
            ConcurrencyStamp = Guid.NewGuid().ToString("N"),
        });
    }

    private async Task<ApiTokenResult<ApiToken>> ConvertCoreAsync(string accountId, string accessHash, ApiTokenActor? actor, CancellationToken cancellationToken)
    {
        var value = RemoveWhitespace(accessHash ?? string.Empty);
        if (!LegacyTokens.IsCandidate(value))
        {
            return Refuse(Messages.InvalidAccessHash);
        }

        var owner = await accounts.FindByIdAsync(accountId, cancellationToken).ConfigureAwait(false);
        if (owner is null)
        {
            return ApiTokenErrors.AccountNotFound;
        }

        var now = UnixTime.Now(time);
        var name = "accesshash-" + now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var selector = LegacyTokens.SelectorFor(value);
        if (await store.FindBySelectorAsync(owner.Id, selector, cancellationToken).ConfigureAwait(false) is not null)
        {
            return Refuse(Messages.AccessHashAlreadyConverted);
        }

        // The key is known here, so it is stored as any secret of ours: Argon2id, through the gate. Only its selector is a digest.
        var hash = await gate.HashAsync(value, cancellationToken).ConfigureAwait(false);
        if (hash is null)
        {
            return ApiTokenErrors.Busy;
        }

        var token = new ApiToken
        {
            Id = Guid.CreateVersion7(now),
            AccountId = owner.Id,
            Name = name,
            Selector = selector,
            SecretHash = hash,
            CreatedAt = now,
            ConcurrencyStamp = Guid.NewGuid().ToString("N"),
        };
        switch (await store.CreateAsync(token, cancellationToken).ConfigureAwait(false))
        {
            case ApiTokenStoreResult.Success:
                break;
            case ApiTokenStoreResult.DuplicateName:
                return ApiTokenErrors.DuplicateName(name);
            default:
                return Refuse(Messages.AccessHashAlreadyConverted);
        }

        index.SetPresent();
        await notifier.AccountChangedAsync(owner.Id, cancellationToken).ConfigureAwait(false);
        await audit.WriteAsync(ApiTokenAuditAction.Imported, owner, owner.Id, name, null, actor, cancellationToken).ConfigureAwait(false);
        return ApiTokenResult<ApiToken>.Success(token);
    }

    /// <summary>Undoes the rows of a failed import (best effort: a store that fails here has failed the import already).</summary>
    private async Task RemoveAsync(List<ApiToken> stored)
    {
        foreach (var row in stored)
        {
            try
            {
                await store.DeleteAsync(row.AccountId, row.Id, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (StoreFaults.IsStoreFault(ex))
            {
                Log.StoreFault(logger, ex, "import (undo)");
            }
        }
    }

    private static ApiTokenError Refuse(string message) => new(ApiTokenErrorCode.InvalidImport, message, "file");
}
