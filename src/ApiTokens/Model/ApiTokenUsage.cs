namespace ApiTokens;

/// <summary>
/// One token's latest use, as the background usage writer hands it to <see cref="IApiTokenStore.RecordUsageAsync"/>: the
/// store moves the token's <see cref="ApiToken.LastUsedAt"/> and <see cref="ApiToken.LastUsedIp"/> to these values only if
/// <paramref name="UsedAt"/> is later than what it holds.
/// </summary>
/// <param name="AccountId">The stable id of the owning account.</param>
/// <param name="TokenId">The token's <see cref="ApiToken.Id"/>.</param>
/// <param name="UsedAt">When the token last authenticated a request (UTC, whole seconds).</param>
/// <param name="Address">The address that request came from, or <see langword="null"/> when the server did not know it.</param>
public sealed record ApiTokenUsage(string AccountId, Guid TokenId, DateTimeOffset UsedAt, string? Address);
