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
        ExpiresAt = entity.ExpiresAt is { } expiresAt ? DateTimeOffset.FromUnixTimeSeconds(expiresAt) : null,
        Acls = FromJson(entity.Acls),
        WhitelistIps = FromJson(entity.WhitelistIps),
        LastUsedAt = entity.LastUsedAt is { } lastUsedAt ? DateTimeOffset.FromUnixTimeSeconds(lastUsedAt) : null,
        LastUsedIp = entity.LastUsedIp,
        ConcurrencyStamp = entity.ConcurrencyStamp,
    };

    /// <summary>An address as stored: at most <see cref="ApiTokensModelNames.LastUsedIpMaxLength"/> characters.</summary>
    public static string? LastUsedIp(string? address) =>
        address is { Length: > ApiTokensModelNames.LastUsedIpMaxLength } ? address[..ApiTokensModelNames.LastUsedIpMaxLength] : address;

    private static string? ToJson(IReadOnlyList<string>? values) =>
        values is null ? null : JsonSerializer.Serialize(values as string[] ?? [.. values], ApiTokenJsonContext.Default.StringArray);

    private static string[]? FromJson(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, ApiTokenJsonContext.Default.StringArray) ?? [];
}
