namespace ApiTokens;

/// <summary>
/// Why a presented token did not authenticate. Every credential refusal (<see cref="Malformed"/> to <see cref="Throttled"/>)
/// answers the client the same way (401, or WHM's 403 on WHM routes): only the log and server-side events see which it was. Three
/// reasons are not refusals and say nothing about the credential: <see cref="StoreUnavailable"/> and <see cref="Busy"/> answer
/// <c>503 Service Unavailable</c> with <c>Retry-After</c>, <see cref="ClientBlocked"/> answers <c>429 Too Many Requests</c> with
/// <c>Retry-After</c>, so a script with a valid token retries instead of concluding that its token is dead.
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

    /// <summary>
    /// Too many wrong secrets for this token's selector recently (<c>ApiTokens:Verification:MaxFailuresPerSelector</c>): refused
    /// without hashing, like a wrong secret (a current cached entry still proves the right one).
    /// </summary>
    Throttled,

    /// <summary>
    /// The store or account provider could not be reached, or failed unexpectedly: nothing was proven either way. Answered
    /// <c>503</c> with <c>Retry-After</c>, never as a refusal (the request fails closed all the same).
    /// </summary>
    StoreUnavailable,

    /// <summary>
    /// The credential could not be checked in time: no Argon2 slot within <c>ApiTokens:Verification:HashQueueTimeout</c>, or its
    /// account kept changing while it was checked. Answered <c>503</c> with <c>Retry-After</c>, never as a refusal.
    /// </summary>
    Busy,

    /// <summary>
    /// The client's address is blocked after too many refused credentials (<c>ApiTokens:ClientLimits</c>); only a token already
    /// proven in this node's cache still authenticates from it. Answered <c>429</c> with <c>Retry-After</c>, with no store read and
    /// no Argon2.
    /// </summary>
    ClientBlocked,
}
