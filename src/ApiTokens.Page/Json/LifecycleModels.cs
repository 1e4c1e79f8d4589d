using System.Text.Json;

namespace ApiTokens.Page;

// The JSON of "Regenerate" and "History" (issue 14), named as the page's other models (snake_case, epoch seconds).

/// <summary>A rotation: how long the old value keeps working, in seconds (absent or 0: it stops at once).</summary>
internal sealed record RotateTokenBody(long? GracePeriod);

/// <summary>
/// A rotated token: the token as listed, its new value (shown once, as on creation), and when the old value stops working
/// (the rotation time when it stopped at once).
/// </summary>
internal sealed record RotatedTokenView(TokenView Rotated, string Token, long PreviousTokenExpiresAt);

/// <summary>A grace period "Regenerate" offers: its length in seconds and the words the page shows for it.</summary>
internal sealed record GracePeriodView(long Seconds, string Label);

/// <summary>
/// One audit event of the signed-in account, as "History" shows it: never a secret. <c>action</c> is the
/// <see cref="ApiTokenAuditAction"/> in snake_case (<c>created</c>, <c>updated</c>, <c>rotated</c>, <c>revoked</c>,
/// <c>revoked_all</c>, <c>revoked_as_leaked</c>, <c>imported</c>, <c>expiry_warning</c>).
/// </summary>
internal sealed record HistoryEventView(
    long Time,
    string Action,
    string? TokenName,
    string? NewTokenName,
    IReadOnlyList<string>? ChangedFields,
    long? ExpiresAt,
    string? Actor,
    string? RemoteAddress)
{
    public static HistoryEventView From(ApiTokenAuditEvent e) => new(
        e.Time.ToUnixTimeSeconds(),
        JsonNamingPolicy.SnakeCaseLower.ConvertName(e.Action.ToString()),
        e.TokenName,
        e.NewTokenName,
        e.ChangedFields,
        e.ExpiresAt?.ToUnixTimeSeconds(),
        e.Actor,
        e.RemoteAddress);
}

/// <summary>One page of the signed-in account's history, newest first.</summary>
internal sealed record HistoryView(IReadOnlyList<HistoryEventView> Events, int TotalCount, int Skip, int Take);
