namespace ApiTokens;

/// <summary>
/// Why a presented token was refused. Only the log and server-side events see it: every reason
/// answers the client with the same 401.
/// </summary>
public enum ApiTokenFailureReason
{
    /// <summary>Not refused.</summary>
    None,

    /// <summary>The header or token is malformed (no colon, empty parts, bad characters, wrong format).</summary>
    Malformed,

    /// <summary>No account has that user name (or it was renamed or deleted).</summary>
    UnknownUser,

    /// <summary>The account has no token with that selector (never existed, or revoked).</summary>
    UnknownToken,

    /// <summary>The secret does not match.</summary>
    WrongSecret,

    /// <summary>The token has expired.</summary>
    Expired,

    /// <summary>The owning account is suspended.</summary>
    Suspended,

    /// <summary>The client address is not on the token's whitelist.</summary>
    IpNotAllowed,

    /// <summary>Too many wrong secrets for this token recently, or too many hashes queued: refused without hashing.</summary>
    Throttled,

    /// <summary>The store or account provider could not be reached: fail closed.</summary>
    StoreUnavailable,
}
