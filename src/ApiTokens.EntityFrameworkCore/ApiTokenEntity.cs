namespace ApiTokens.EntityFrameworkCore;

/// <summary>
/// The row an API token is stored as (table <c>api_tokens</c>). The store converts it to and from
/// <see cref="ApiToken"/>; apps normally never touch it, but may query it (read-only) for reports.
/// </summary>
public sealed class ApiTokenEntity
{
    /// <summary>The token's id (primary key).</summary>
    public Guid Id { get; set; }

    /// <summary>The stable id of the owning account (at most 128 characters).</summary>
    public string AccountId { get; set; } = string.Empty;

    /// <summary>The token's name (at most 50 characters), unique per account, case-sensitive.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The public lookup key (at most 32 characters), unique per account.</summary>
    public string Selector { get; set; } = string.Empty;

    /// <summary>The Argon2id hash of the secret as a PHC string. Never the secret itself.</summary>
    public string SecretHash { get; set; } = string.Empty;

    /// <summary>When the token was created, in Unix seconds (UTC).</summary>
    public long CreatedAt { get; set; }

    /// <summary>When the token expires, in Unix seconds (UTC), or <see langword="null"/> for never.</summary>
    public long? ExpiresAt { get; set; }

    /// <summary>The privilege list as a JSON array of strings, or <see langword="null"/> for full access.</summary>
    public string? Acls { get; set; }

    /// <summary>The whitelist as a JSON array of strings, or <see langword="null"/> for any address.</summary>
    public string? WhitelistIps { get; set; }

    /// <summary>
    /// When the token last authenticated a request, in Unix seconds (UTC), or <see langword="null"/> for never (column
    /// <c>last_used_at</c>). Written only by <see cref="IApiTokenStore.RecordUsageAsync"/>, which never changes
    /// <see cref="ConcurrencyStamp"/>.
    /// </summary>
    public long? LastUsedAt { get; set; }

    /// <summary>The address of that request (at most 64 characters), or <see langword="null"/> (column <c>last_used_ip</c>).</summary>
    public string? LastUsedIp { get; set; }

    /// <summary>
    /// The selector of the token's previous value while a rotation's grace period may still run (at most 32 characters), or
    /// <see langword="null"/> (column <c>previous_selector</c>). Unique per account, like <see cref="Selector"/>; the verify lookup
    /// finds the token by either.
    /// </summary>
    public string? PreviousSelector { get; set; }

    /// <summary>The Argon2id hash of the previous value's secret as a PHC string, or <see langword="null"/> (column <c>previous_secret_hash</c>).</summary>
    public string? PreviousSecretHash { get; set; }

    /// <summary>
    /// When the previous value stops authenticating, in Unix seconds (UTC), or <see langword="null"/> (column
    /// <c>previous_expires_at</c>).
    /// </summary>
    public long? PreviousExpiresAt { get; set; }

    /// <summary>
    /// The expiry an expiry warning was raised for, in Unix seconds (UTC), or <see langword="null"/> (column
    /// <c>expiry_warned_for</c>). Written only by <see cref="IApiTokenStore.TryMarkExpiryWarnedAsync"/>, which never changes
    /// <see cref="ConcurrencyStamp"/>.
    /// </summary>
    public long? ExpiryWarnedFor { get; set; }

    /// <summary>Changes on every update; the optimistic concurrency token.</summary>
    public string ConcurrencyStamp { get; set; } = string.Empty;
}
