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
}
