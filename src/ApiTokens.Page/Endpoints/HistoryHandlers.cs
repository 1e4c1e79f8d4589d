using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ApiTokens.Page;

/// <summary>
/// "History": <c>GET {prefix}/api/history?skip=&amp;take=</c>, the audit events of the signed-in account (and only that account),
/// newest first, from <see cref="ApiTokenManager.QueryAuditAsync"/>. Without an audit store it answers 404 <c>no_history</c> and the
/// page shows no "History" control. <see cref="PageCallerFilter"/> has already let the caller in (and answers 503 when a store is down).
/// </summary>
internal static class HistoryHandlers
{
    /// <summary>How many events a page holds when the call does not say.</summary>
    public const int DefaultTake = 50;

    public static async Task<IResult> ListAsync(HttpContext context, ApiTokenManager manager)
    {
        if (!manager.HasAuditTrail)
        {
            return PageJson.Error(StatusCodes.Status404NotFound, "no_history", PageMessages.NoHistory);
        }

        var query = context.Request.Query;
        if (!TryRead(query["skip"], 0, int.MaxValue, 0, out var skip) || !TryRead(query["take"], 1, ApiTokenAuditQuery.MaxTake, DefaultTake, out var take))
        {
            return PageJson.Error(StatusCodes.Status400BadRequest, "invalid_paging", PageMessages.InvalidPaging(ApiTokenAuditQuery.MaxTake));
        }

        // Always the caller's own account: the query has no account parameter to ask for another.
        var accountId = PageCaller.Of(context).AllowedAccount.Id;
        var page = await manager.QueryAuditAsync(new ApiTokenAuditQuery { AccountId = accountId, Skip = skip, Take = take }, context.RequestAborted)
            .ConfigureAwait(false);
        var events = page.Events.Where(e => string.Equals(e.AccountId, accountId, StringComparison.Ordinal)).Select(HistoryEventView.From).ToArray();
        return PageJson.Result(StatusCodes.Status200OK, new HistoryView(events, page.TotalCount, skip, take), PageJsonContext.Default.HistoryView);
    }

    private static bool TryRead(StringValues values, int min, int max, int absent, out int value)
    {
        value = absent;
        return values.Count switch
        {
            0 => true,
            1 => int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max,
            _ => false,
        };
    }
}
