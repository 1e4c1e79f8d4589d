namespace ApiTokens;

/// <summary>An audit record: who did what to which token (by name, never its secret), when and from where.</summary>
/// <param name="Action">What happened.</param>
/// <param name="AccountId">The owning account's id.</param>
/// <param name="UserName">The owning account's user name at the time, if known.</param>
/// <param name="TokenName">The token's name (the old name on a rename); <see langword="null"/> for <see cref="ApiTokenAuditAction.RevokedAll"/>.</param>
/// <param name="NewTokenName">The new name on a rename.</param>
/// <param name="Time">When (UTC).</param>
/// <param name="Actor">Who asked for it (user name), when the caller said.</param>
/// <param name="RemoteAddress">From which address, when the caller said.</param>
public sealed record ApiTokenAuditEvent(
    ApiTokenAuditAction Action,
    string AccountId,
    string? UserName,
    string? TokenName,
    string? NewTokenName,
    DateTimeOffset Time,
    string? Actor,
    string? RemoteAddress)
{
    /// <summary>
    /// For <see cref="ApiTokenAuditAction.Updated"/>: which fields changed, by their WHM names (<c>name</c>, <c>acls</c>,
    /// <c>expires_at</c>, <c>whitelist_ips</c>), in that order; otherwise <see langword="null"/>. Never a value.
    /// </summary>
    public IReadOnlyList<string>? ChangedFields { get; init; }

    /// <summary>
    /// For <see cref="ApiTokenAuditAction.ExpiryWarning"/>: when the token expires; for <see cref="ApiTokenAuditAction.Rotated"/>:
    /// when the previous value stops working (the rotation time when it stopped at once); otherwise <see langword="null"/>.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
