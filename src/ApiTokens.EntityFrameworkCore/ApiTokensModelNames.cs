namespace ApiTokens.EntityFrameworkCore;

/// <summary>The database names the token model uses, for scripts and DBA tooling.</summary>
public static class ApiTokensModelNames
{
    /// <summary>The table: <c>api_tokens</c>.</summary>
    public const string Table = "api_tokens";

    /// <summary>The unique index on (account_id, name).</summary>
    public const string NameIndex = "ix_api_tokens_account_id_name";

    /// <summary>The unique index on (account_id, selector).</summary>
    public const string SelectorIndex = "ix_api_tokens_account_id_selector";

    /// <summary>
    /// The unique index on (previous_selector, account_id): a rotated token's previous selector is unique per account, like a
    /// selector (NULLs, tokens without a previous value, never collide). Leading with the selector, it also serves the cross-account
    /// lookup by previous selector (leak revocation).
    /// </summary>
    public const string PreviousSelectorIndex = "ix_api_tokens_previous_selector_account_id";

    /// <summary>The index on (selector) alone, for the cross-account lookup by selector (leak revocation).</summary>
    public const string SelectorLookupIndex = "ix_api_tokens_selector";

    /// <summary>The index on (expires_at), for the expiry-warning scan.</summary>
    public const string ExpiresAtIndex = "ix_api_tokens_expires_at";

    /// <summary>The audit table: <c>api_token_audit</c>.</summary>
    public const string AuditTable = "api_token_audit";

    /// <summary>The index on (account_id, time) of the audit table: an account's history, newest first.</summary>
    public const string AuditAccountTimeIndex = "ix_api_token_audit_account_id_time";

    /// <summary>The index on (time) of the audit table: every account's history, and retention.</summary>
    public const string AuditTimeIndex = "ix_api_token_audit_time";

    /// <summary>The longest stored account id.</summary>
    public const int AccountIdMaxLength = 128;

    /// <summary>The longest selector.</summary>
    public const int SelectorMaxLength = 32;

    /// <summary>The longest PHC hash string (Argon2id with the largest allowed salt and hash is about 215 characters).</summary>
    public const int SecretHashMaxLength = 256;

    /// <summary>The longest concurrency stamp.</summary>
    public const int ConcurrencyStampMaxLength = 64;

    /// <summary>The longest stored last-used address (an IPv6 address with a zone fits).</summary>
    public const int LastUsedIpMaxLength = 64;

    /// <summary>The longest audit action name (<see cref="ApiTokenAuditAction"/> by name).</summary>
    public const int AuditActionMaxLength = 32;

    /// <summary>The longest stored user name or actor of an audit event; longer ones are cut.</summary>
    public const int AuditUserNameMaxLength = 256;

    /// <summary>The longest stored address of an audit event (as <see cref="LastUsedIpMaxLength"/>); longer ones are cut.</summary>
    public const int AuditRemoteAddressMaxLength = LastUsedIpMaxLength;

    /// <summary>The longest stored list of changed fields of an audit event (comma-separated); a longer list keeps its first whole fields.</summary>
    public const int AuditChangedFieldsMaxLength = 256;
}
