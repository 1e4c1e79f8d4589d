using Microsoft.Extensions.Logging;

namespace ApiTokens;

public sealed partial class ApiTokenManager
{
    /// <summary>
    /// Revokes tokens by name. Unknown names are ignored; an empty list is an error.
    /// Returns the names that were revoked.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters",
        Justification = "The overloads differ in the type of the first parameters (one name or a list), never only in the optional ones.")]
    public Task<ApiTokenResult<IReadOnlyList<string>>> RevokeAsync(
        string accountId, IReadOnlyCollection<string> names, ApiTokenActor? actor = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(names);
        return GuardAsync(() => RevokeCoreAsync(accountId, names, actor, cancellationToken), "revoke", cancellationToken);
    }

    private async Task<ApiTokenResult<IReadOnlyList<string>>> RevokeCoreAsync(
        string accountId, IReadOnlyCollection<string> names, ApiTokenActor? actor, CancellationToken cancellationToken)
    {
        var wanted = names.Where(n => !string.IsNullOrEmpty(n)).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return ApiTokenErrors.NoTokenNames;
        }

        var owner = await _accounts.FindByIdAsync(accountId, cancellationToken).ConfigureAwait(false);
        var revoked = new List<string>();
        foreach (var name in wanted)
        {
            var token = await _store.FindByNameAsync(accountId, name, cancellationToken).ConfigureAwait(false);
            if (token is null || !await _store.DeleteAsync(accountId, token.Id, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            revoked.Add(name);
            await _notifier.AccountChangedAsync(accountId, cancellationToken).ConfigureAwait(false);
            await AuditAsync(ApiTokenAuditAction.Revoked, owner, accountId, name, null, actor, cancellationToken).ConfigureAwait(false);
        }

        return ApiTokenResult<IReadOnlyList<string>>.Success(revoked);
    }

    /// <summary>Revokes one token by name. Returns whether it existed.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters",
        Justification = "The overloads differ in the type of the first parameters (one name or a list), never only in the optional ones.")]
    public async Task<ApiTokenResult<bool>> RevokeAsync(
        string accountId, string name, ApiTokenActor? actor = null, CancellationToken cancellationToken = default)
    {
        var result = await RevokeAsync(accountId, [name], actor, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? ApiTokenResult<bool>.Success(result.Value.Count == 1) : result.Error;
    }

    /// <summary>Revokes every token of an account in one store operation. Returns how many were revoked.</summary>
    public Task<ApiTokenResult<int>> RevokeAllAsync(
        string accountId, ApiTokenActor? actor = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        return GuardAsync(() => RevokeAllCoreAsync(accountId, actor, cancellationToken), "revoke-all", cancellationToken);
    }

    private async Task<ApiTokenResult<int>> RevokeAllCoreAsync(string accountId, ApiTokenActor? actor, CancellationToken cancellationToken)
    {
        // Cached state goes first, so a delete that fails in the store leaves no cached token of the account alive; and again
        // after, so a verification that raced the delete cannot keep what it cached.
        await _notifier.AccountChangedAsync(accountId, cancellationToken).ConfigureAwait(false);
        var count = await _store.DeleteAllAsync(accountId, cancellationToken).ConfigureAwait(false);
        await _notifier.AccountChangedAsync(accountId, cancellationToken).ConfigureAwait(false);
        var owner = await _accounts.FindByIdAsync(accountId, cancellationToken).ConfigureAwait(false);
        await AuditAsync(ApiTokenAuditAction.RevokedAll, owner, accountId, null, null, actor, cancellationToken).ConfigureAwait(false);
        return ApiTokenResult<int>.Success(count);
    }
}
