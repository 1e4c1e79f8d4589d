using System.Text.Json;
using System.Text.Json.Serialization;

namespace ApiTokens.Page;

// The JSON the page's endpoints read and write, named as WHM API 1 names them (snake_case, epoch seconds).

internal sealed record CreateTokenBody(string? Name, IReadOnlyList<string>? Acls, long? ExpiresAt, IReadOnlyList<string>? WhitelistIps);

internal sealed record UpdateTokenBody(
    string? NewName, IReadOnlyList<string>? Acls, long? ExpiresAt, bool ClearExpiry, IReadOnlyList<string>? WhitelistIps);

internal sealed record TokenView(
    string Name, long CreateTime, long? ExpiresAt, bool HasFullAccess, IReadOnlyList<string>? Acls, IReadOnlyList<string>? WhitelistIps)
{
    public static TokenView From(ApiToken token) => new(
        token.Name,
        token.CreatedAt.ToUnixTimeSeconds(),
        token.ExpiresAt?.ToUnixTimeSeconds(),
        token.HasFullAccess,
        token.Acls,
        token.WhitelistIps);
}

internal sealed record CreatedTokenView(TokenView Created, string Token);

internal sealed record TokenListView(long Now, IReadOnlyList<TokenView> Tokens, int TotalCount);

internal sealed record PrivilegeView(string Name, string Description, bool Escalates);

internal sealed record PrivilegeGroupView(string Name, IReadOnlyList<PrivilegeView> Privileges);

internal sealed record AntiforgeryView(string HeaderName, string RequestToken);

internal sealed record SessionView(
    string User,
    AntiforgeryView? Antiforgery,
    string EscalationWarning,
    string NoPrivilegesMessage,
    int NameMaxLength,
    IReadOnlyList<PrivilegeGroupView> PrivilegeGroups);

internal sealed record ErrorView(string Code, string Message, string? Field)
{
    public static ErrorView From(ApiTokenError error) =>
        new(JsonNamingPolicy.SnakeCaseLower.ConvertName(error.Code.ToString()), error.Message, error.Field);
}

internal sealed record ErrorEnvelope(ErrorView Error);

internal sealed record RevokedView(IReadOnlyList<string> Revoked, int RevokedCount);

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CreateTokenBody))]
[JsonSerializable(typeof(UpdateTokenBody))]
[JsonSerializable(typeof(CreatedTokenView))]
[JsonSerializable(typeof(TokenView))]
[JsonSerializable(typeof(TokenListView))]
[JsonSerializable(typeof(SessionView))]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(RevokedView))]
internal sealed partial class PageJsonContext : JsonSerializerContext;
