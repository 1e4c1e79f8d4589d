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
    string? RemoteAddress);
