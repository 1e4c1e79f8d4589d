namespace ApiTokens;

/// <summary>Why a token operation was refused.</summary>
public enum ApiTokenErrorCode
{
    /// <summary>The name breaks the naming rule.</summary>
    InvalidName,

    /// <summary>The account already has a token with that name.</summary>
    DuplicateName,

    /// <summary>An explicitly empty privilege list.</summary>
    NoPrivileges,

    /// <summary>A privilege that is unknown or that the owner does not hold.</summary>
    UnauthorizedPrivileges,

    /// <summary>An expiry that is not in the future.</summary>
    ExpiryNotInFuture,

    /// <summary>A malformed whitelist entry or too many entries.</summary>
    InvalidWhitelist,

    /// <summary>The owning account does not exist.</summary>
    AccountNotFound,

    /// <summary>The owning account is suspended.</summary>
    AccountSuspended,

    /// <summary>No token with that name.</summary>
    TokenNotFound,

    /// <summary>An update that changes nothing.</summary>
    NothingToUpdate,

    /// <summary>A revoke that names no token.</summary>
    NoTokenNames,

    /// <summary>The token changed since it was read.</summary>
    ConcurrencyFailure,

    /// <summary>The token store could not be reached.</summary>
    StoreUnavailable,

    /// <summary>No Argon2 slot freed up in time: nothing was changed; try again.</summary>
    Busy,

    /// <summary>A cPanel token file or access hash that cannot be imported (malformed, or clashing with stored tokens): nothing was stored.</summary>
    InvalidImport,

    /// <summary>
    /// An expiry later than <c>ApiTokens:Policy:MaxLifetime</c> allows from now, or an update to never expire while that policy is set.
    /// </summary>
    ExpiryBeyondMaxLifetime,

    /// <summary>The account created <c>ApiTokens:Policy:MaxCreatesPerAccountPerMinute</c> tokens this minute: nothing was stored; try later.</summary>
    RateLimited,

    /// <summary>A rotation's grace period is negative or longer than <c>ApiTokens:Rotation:MaxGracePeriod</c>: nothing was changed.</summary>
    InvalidGracePeriod,

    /// <summary>The token has expired: it cannot be rotated (create a new one).</summary>
    TokenExpired,
}
