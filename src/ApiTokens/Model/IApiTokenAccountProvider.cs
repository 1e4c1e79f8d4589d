namespace ApiTokens;

/// <summary>
/// Resolves the accounts that own tokens. The host app implements it over its own user store.
/// </summary>
/// <remarks>
/// When an account changes (suspended, renamed, privileges changed) or is deleted, the host app
/// tells <see cref="ApiTokenManager.AccountChangedAsync"/> or
/// <see cref="ApiTokenManager.AccountDeletedAsync"/> so cached state is dropped.
/// </remarks>
public interface IApiTokenAccountProvider
{
    /// <summary>Finds an account by its current user name (exact), or <see langword="null"/>.</summary>
    ValueTask<ApiTokenAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken);

    /// <summary>Finds an account by its stable id, or <see langword="null"/>.</summary>
    ValueTask<ApiTokenAccount?> FindByIdAsync(string accountId, CancellationToken cancellationToken);
}
