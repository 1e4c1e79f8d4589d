namespace ApiTokens;

/// <summary>The errors <see cref="ApiTokenManager"/> answers with: a code, a sentence a person can act on, and the field it concerns.</summary>
public static class ApiTokenErrors
{
    /// <summary>A name that breaks the rule.</summary>
    public static ApiTokenError InvalidName(string name) => new(
        ApiTokenErrorCode.InvalidName,
        Messages.InvalidName(name),
        "name");

    /// <summary>A name already in use.</summary>
    public static ApiTokenError DuplicateName(string name) => new(
        ApiTokenErrorCode.DuplicateName,
        Messages.DuplicateName(name),
        "name");

    /// <summary>An explicitly empty privilege list.</summary>
    public static ApiTokenError NoPrivileges { get; } = new(
        ApiTokenErrorCode.NoPrivileges,
        Messages.NoPrivileges,
        "acls");

    /// <summary>Unknown or unheld privileges.</summary>
    public static ApiTokenError UnauthorizedPrivileges(IEnumerable<string> names) => new(
        ApiTokenErrorCode.UnauthorizedPrivileges,
        Messages.UnauthorizedPrivileges(names),
        "acls");

    /// <summary>An expiry that is not in the future.</summary>
    public static ApiTokenError ExpiryNotInFuture { get; } = new(
        ApiTokenErrorCode.ExpiryNotInFuture,
        Messages.ExpiryNotInFuture,
        "expires_at");

    /// <summary>An expiry later than <c>ApiTokens:Policy:MaxLifetime</c> allows: <paramref name="latest"/> is the last one it does.</summary>
    public static ApiTokenError ExpiryBeyondMaxLifetime(TimeSpan maxLifetime, DateTimeOffset latest) => new(
        ApiTokenErrorCode.ExpiryBeyondMaxLifetime,
        Messages.ExpiryBeyondMaxLifetime(maxLifetime, latest),
        "expires_at");

    /// <summary>The account's creates for this minute are used up (<c>ApiTokens:Policy:MaxCreatesPerAccountPerMinute</c>).</summary>
    public static ApiTokenError TooManyCreates(int perMinute) => new(
        ApiTokenErrorCode.RateLimited,
        Messages.TooManyCreates(perMinute),
        null);

    /// <summary>An update to never expire while <c>ApiTokens:Policy:MaxLifetime</c> is set: <paramref name="latest"/> is the last expiry it allows.</summary>
    public static ApiTokenError NeverExpiringRefused(TimeSpan maxLifetime, DateTimeOffset latest) => new(
        ApiTokenErrorCode.ExpiryBeyondMaxLifetime,
        Messages.NeverExpiringRefused(maxLifetime, latest),
        "expires_at");

    /// <summary>A malformed whitelist entry.</summary>
    public static ApiTokenError InvalidWhitelistEntry(string entry) => new(
        ApiTokenErrorCode.InvalidWhitelist,
        Messages.InvalidWhitelistEntry(entry),
        "whitelist_ips");

    /// <summary>Too many whitelist entries.</summary>
    public static ApiTokenError TooManyWhitelistEntries(int max) => new(
        ApiTokenErrorCode.InvalidWhitelist,
        Messages.TooManyWhitelistEntries(max),
        "whitelist_ips");

    /// <summary>The owner does not exist.</summary>
    public static ApiTokenError AccountNotFound { get; } = new(
        ApiTokenErrorCode.AccountNotFound,
        Messages.AccountNotFound);

    /// <summary>The owner is suspended.</summary>
    public static ApiTokenError AccountSuspended { get; } = new(
        ApiTokenErrorCode.AccountSuspended,
        Messages.AccountSuspended);

    /// <summary>No token by that name.</summary>
    public static ApiTokenError TokenNotFound(string name) => new(
        ApiTokenErrorCode.TokenNotFound,
        Messages.TokenNotFound(name),
        "name");

    /// <summary>An update with nothing to change.</summary>
    public static ApiTokenError NothingToUpdate { get; } = new(
        ApiTokenErrorCode.NothingToUpdate,
        Messages.NothingToUpdate);

    /// <summary>A revoke with no names.</summary>
    public static ApiTokenError NoTokenNames { get; } = new(
        ApiTokenErrorCode.NoTokenNames,
        Messages.NoTokenNames,
        "name");

    /// <summary>A lost update.</summary>
    public static ApiTokenError ConcurrencyFailure(string name) => new(
        ApiTokenErrorCode.ConcurrencyFailure,
        Messages.ConcurrencyFailure(name));

    /// <summary>The store is down.</summary>
    public static ApiTokenError StoreUnavailable { get; } = new(
        ApiTokenErrorCode.StoreUnavailable,
        Messages.StoreUnavailable);

    /// <summary>No Argon2 slot freed up in time to hash a new secret.</summary>
    public static ApiTokenError Busy { get; } = new(
        ApiTokenErrorCode.Busy,
        Messages.Busy);

    /// <summary>A rotation's grace period outside 0 … <c>ApiTokens:Rotation:MaxGracePeriod</c>.</summary>
    public static ApiTokenError InvalidGracePeriod(TimeSpan maxGracePeriod) => new(
        ApiTokenErrorCode.InvalidGracePeriod,
        Messages.InvalidGracePeriod(maxGracePeriod),
        "grace_period");

    /// <summary>An expired token cannot be rotated.</summary>
    public static ApiTokenError TokenExpired(string name) => new(
        ApiTokenErrorCode.TokenExpired,
        Messages.TokenExpiredCannotRotate(name),
        "token_name");
}
