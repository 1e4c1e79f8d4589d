using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// Brings credentials made on a cPanel server into the store, with the manager's rules: a token file's entries
/// (<see cref="WhmTokenFile"/>) keep their SHA-512 under a digest selector until each token's first use (see
/// <see cref="LegacyTokens"/>); a Remote Access Key becomes a full-access token hashed with Argon2id at once. A file is imported
/// whole or not at all: every entry is checked (name, privileges, whitelist, clashes with stored tokens) before the first is
/// stored, and the store writes them together (<see cref="IApiTokenStore.CreateManyAsync"/>). When a store cannot undo a failed
/// write, the tokens it kept are named, audited and announced, never left unsaid.
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
    /// <summary>How many names <c>convert-accesshash</c> tries in one second: <c>accesshash-&lt;epoch&gt;</c>, then -2 to -10.</summary>
    private const int MaxAccessHashNameAttempts = 10;

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

        // All or nothing: the store writes the whole file at once (in one transaction where it can).
        ApiTokenStoreResult result;
        try
        {
            result = await store.CreateManyAsync(rows, cancellationToken).ConfigureAwait(false);
        }
        catch (PartialCreateException partial)
        {
            // The store failed and could not undo what it had stored: those tokens work now, so they are announced as imported.
            Log.StoreFault(logger, partial.InnerException ?? partial, "import (undo)");
            await PublishAsync(owner, partial.Stored, actor, cancellationToken).ConfigureAwait(false);
            return Refuse(Messages.ImportPartlyStored(partial.Stored.Select(t => t.Name)));
        }

        if (result != ApiTokenStoreResult.Success)
        {
            // Another writer took a name or selector since the check: say which, as the check would have.
            var taken = await TakenAsync(rows, result, cancellationToken).ConfigureAwait(false);
            return Refuse(result == ApiTokenStoreResult.DuplicateName ? Messages.ImportNameTaken(taken) : Messages.ImportAlreadyImported(taken));
        }

        await PublishAsync(owner, rows, actor, cancellationToken).ConfigureAwait(false);
        return ApiTokenResult<IReadOnlyList<ApiToken>>.Success(rows);
    }

    /// <summary>Makes stored rows known: the legacy index at once, other nodes through the notifier, the audit one event each.</summary>
    private async Task PublishAsync(ApiTokenAccount owner, IReadOnlyList<ApiToken> stored, ApiTokenActor? actor, CancellationToken cancellationToken)
    {
        index.SetPresent();
        await notifier.AccountChangedAsync(owner.Id, cancellationToken).ConfigureAwait(false);
        foreach (var row in stored)
        {
            await audit.WriteAsync(ApiTokenAuditAction.Imported, owner, owner.Id, row.Name, null, actor, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The name of the first row whose name (or selector) another writer has taken, for the refusal.</summary>
    private async Task<string> TakenAsync(List<ApiToken> rows, ApiTokenStoreResult result, CancellationToken cancellationToken)
    {
        foreach (var row in rows)
        {
            var taken = result == ApiTokenStoreResult.DuplicateName
                ? await store.FindByNameAsync(row.AccountId, row.Name, cancellationToken).ConfigureAwait(false)
                : await store.FindBySelectorAsync(row.AccountId, row.Selector, cancellationToken).ConfigureAwait(false);
            if (taken is not null)
            {
                return row.Name;
            }
        }

        return rows[0].Name;
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
        var baseName = "accesshash-" + now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
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
            Name = baseName,
            Selector = selector,
            SecretHash = hash,
            CreatedAt = now,
            ConcurrencyStamp = Guid.NewGuid().ToString("N"),
        };
        // cPanel's name is accesshash-<epoch>; a second key converted in the same second takes -2, -3, … (a few, then it says so).
        for (var attempt = 1; ; attempt++)
        {
            var result = await store.CreateAsync(token, cancellationToken).ConfigureAwait(false);
            if (result == ApiTokenStoreResult.Success)
            {
                break;
            }

            if (result != ApiTokenStoreResult.DuplicateName)
            {
                return Refuse(Messages.AccessHashAlreadyConverted);
            }

            if (attempt == MaxAccessHashNameAttempts)
            {
                return ApiTokenErrors.DuplicateName(token.Name);
            }

            token = token with { Name = baseName + "-" + (attempt + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        }

        var name = token.Name;

        index.SetPresent();
        await notifier.AccountChangedAsync(owner.Id, cancellationToken).ConfigureAwait(false);
        await audit.WriteAsync(ApiTokenAuditAction.Imported, owner, owner.Id, name, null, actor, cancellationToken).ConfigureAwait(false);
        return ApiTokenResult<ApiToken>.Success(token);
    }

    private static ApiTokenError Refuse(string message) => new(ApiTokenErrorCode.InvalidImport, message, "file");
}
