namespace ApiTokens;

/// <summary>What happened to a token.</summary>
public enum ApiTokenAuditAction
{
    /// <summary>A token was created.</summary>
    Created,

    /// <summary>A token was renamed or its limits changed.</summary>
    Updated,

    /// <summary>A token was revoked.</summary>
    Revoked,

    /// <summary>Every token of an account was revoked.</summary>
    RevokedAll,

    /// <summary>A token made on a cPanel server was imported (<c>tokens import-whm</c>, <c>tokens convert-accesshash</c>).</summary>
    Imported,

    /// <summary>A token was given a new value (<c>ApiTokenManager.RotateAsync</c>); the old one works until
    /// <see cref="ApiTokenAuditEvent.ExpiresAt"/>.</summary>
    Rotated,

    /// <summary>A token was revoked because its value was reported as leaked (leak revocation); if only its previous value
    /// was reported, that value's grace period was ended and the token kept.</summary>
    RevokedAsLeaked,

    /// <summary>A token will expire within <c>ApiTokens:Policy:ExpiryWarning</c> (at <see cref="ApiTokenAuditEvent.ExpiresAt"/>).</summary>
    ExpiryWarning,
}
