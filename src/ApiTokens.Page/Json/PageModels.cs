using System.Text.Json;

namespace ApiTokens.Page;

// The JSON the page's endpoints read and write, named as WHM API 1 names them (snake_case, epoch seconds); serialised by
// PageJsonContext.

/// <summary>A create: no <c>acls</c> (or <c>null</c>) makes a full-access token, as WHM's <c>api_token_create</c> without <c>acl</c>.</summary>
internal sealed record CreateTokenBody(string? Name, IReadOnlyList<string>? Acls, long? ExpiresAt, IReadOnlyList<string>? WhitelistIps);

/// <summary>An update: <c>grant_full_access</c> turns a limited token into a full-access one (then <c>acls</c> must be absent).</summary>
internal sealed record UpdateTokenBody(
    string? NewName, IReadOnlyList<string>? Acls, long? ExpiresAt, bool ClearExpiry, IReadOnlyList<string>? WhitelistIps, bool GrantFullAccess = false);

/// <summary>
/// A token as the page lists it; <c>last_used</c> and <c>last_used_ip</c> are null for a token never used; <c>expires_soon</c> is
/// true for a token that has not expired but will within <c>ApiTokens:Policy:ExpiryWarning</c> (never when that is 0).
/// </summary>
internal sealed record TokenView(
    string Name,
    long CreateTime,
    long? ExpiresAt,
    bool ExpiresSoon,
    bool HasFullAccess,
    IReadOnlyList<string>? Acls,
    IReadOnlyList<string>? WhitelistIps,
    long? LastUsed,
    string? LastUsedIp)
{
    public static TokenView From(ApiToken token, ExpiryWarningWindow window) => new(
        token.Name,
        token.CreatedAt.ToUnixTimeSeconds(),
        token.ExpiresAt?.ToUnixTimeSeconds(),
        window.ExpiresSoon(token),
        token.HasFullAccess,
        token.Acls,
        token.WhitelistIps,
        token.LastUsedAt?.ToUnixTimeSeconds(),
        token.LastUsedIp);
}

internal sealed record CreatedTokenView(TokenView Created, string Token);

internal sealed record TokenListView(long Now, IReadOnlyList<TokenView> Tokens, int TotalCount);

internal sealed record PrivilegeView(string Name, string Description, bool Escalates);

internal sealed record PrivilegeGroupView(string Name, IReadOnlyList<PrivilegeView> Privileges);

internal sealed record AntiforgeryView(string HeaderName, string RequestToken);

/// <summary>What the script loads first: who is signed in, the antiforgery token, the privileges to offer and the name rule.</summary>
/// <param name="User">The signed-in user name.</param>
/// <param name="Antiforgery">The header and token that state-changing cookie calls send; <see langword="null"/> for token callers.</param>
/// <param name="EscalationWarning">The warning shown next to privileges that let a token bypass its limits.</param>
/// <param name="NoPrivilegesMessage">What the form says when no privilege is checked.</param>
/// <param name="NameMaxLength">The longest token name, from <see cref="TokenNames.MaxLength"/>.</param>
/// <param name="NamePattern">The token name rule as a regular expression, from <see cref="TokenNames.Pattern"/>.</param>
/// <param name="PrivilegeGroups">The privileges the account may grant, from the host's catalogue, grouped as it groups them.</param>
/// <param name="GracePeriods">The grace periods "Regenerate" offers for the old value, up to <c>ApiTokens:Rotation:MaxGracePeriod</c>.</param>
/// <param name="HasHistory">Whether an audit store is registered, so the page shows "History".</param>
internal sealed record SessionView(
    string User,
    AntiforgeryView? Antiforgery,
    string EscalationWarning,
    string NoPrivilegesMessage,
    int NameMaxLength,
    string NamePattern,
    IReadOnlyList<PrivilegeGroupView> PrivilegeGroups,
    IReadOnlyList<GracePeriodView> GracePeriods,
    bool HasHistory);

internal sealed record ErrorView(string Code, string Message, string? Field)
{
    public static ErrorView From(ApiTokenError error) =>
        new(JsonNamingPolicy.SnakeCaseLower.ConvertName(error.Code.ToString()), error.Message, error.Field);
}

internal sealed record ErrorEnvelope(ErrorView Error);

internal sealed record RevokedView(IReadOnlyList<string> Revoked, int RevokedCount);
