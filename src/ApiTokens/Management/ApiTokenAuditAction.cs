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
}
