using System.Text.Json;

namespace ApiTokens.EntityFrameworkCore;

/// <summary>Converts between <see cref="ApiToken"/> and its row. Times are Unix seconds, lists JSON arrays.</summary>
internal static class ApiTokenEntityMapper
{
    public static ApiTokenEntity ToEntity(ApiToken token) => new()
    {
        Id = token.Id,
        AccountId = token.AccountId,
        Name = token.Name,
        Selector = token.Selector,
        SecretHash = token.SecretHash,
        CreatedAt = token.CreatedAt.ToUnixTimeSeconds(),
        ExpiresAt = token.ExpiresAt?.ToUnixTimeSeconds(),
        Acls = ToJson(token.Acls),
        WhitelistIps = ToJson(token.WhitelistIps),
        LastUsedAt = token.LastUsedAt?.ToUnixTimeSeconds(),
        LastUsedIp = LastUsedIp(token.LastUsedIp),
        PreviousSelector = token.PreviousSelector,
        PreviousSecretHash = token.PreviousSecretHash,
        PreviousExpiresAt = token.PreviousSecretExpiresAt?.ToUnixTimeSeconds(),
        ExpiryWarnedFor = token.ExpiryWarnedFor?.ToUnixTimeSeconds(),
        ConcurrencyStamp = token.ConcurrencyStamp,
    };

    public static ApiToken ToToken(ApiTokenEntity entity) => new()
    {
        Id = entity.Id,
        AccountId = entity.AccountId,
        Name = entity.Name,
        Selector = entity.Selector,
        SecretHash = entity.SecretHash,
        CreatedAt = DateTimeOffset.FromUnixTimeSeconds(entity.CreatedAt),
        ExpiresAt = FromUnixSeconds(entity.ExpiresAt),
        Acls = FromJson(entity.Acls),
        WhitelistIps = FromJson(entity.WhitelistIps),
        LastUsedAt = FromUnixSeconds(entity.LastUsedAt),
        LastUsedIp = entity.LastUsedIp,
        PreviousSelector = entity.PreviousSelector,
        PreviousSecretHash = entity.PreviousSecretHash,
        PreviousSecretExpiresAt = FromUnixSeconds(entity.PreviousExpiresAt),
        ExpiryWarnedFor = FromUnixSeconds(entity.ExpiryWarnedFor),
        ConcurrencyStamp = entity.ConcurrencyStamp,
    };

    /// <summary>An address as stored: at most <see cref="ApiTokensModelNames.LastUsedIpMaxLength"/> characters.</summary>
    public static string? LastUsedIp(string? address) =>
        address is { Length: > ApiTokensModelNames.LastUsedIpMaxLength } ? address[..ApiTokensModelNames.LastUsedIpMaxLength] : address;

    /// <summary>A stored Unix time in seconds as a UTC time, or <see langword="null"/>.</summary>
    public static DateTimeOffset? FromUnixSeconds(long? seconds) => seconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    private static string? ToJson(IReadOnlyList<string>? values) =>
        values is null ? null : JsonSerializer.Serialize(values as string[] ?? [.. values], ApiTokenJsonContext.Default.StringArray);

    private static string[]? FromJson(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, ApiTokenJsonContext.Default.StringArray) ?? [];
}
