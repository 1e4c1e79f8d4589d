using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ApiTokens.Whm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace WhmAdmin;

/// <summary>
/// <c>listaccts</c> as WHM has it: <c>search</c> with <c>searchtype</c> and <c>searchmethod</c> (<c>regex</c>, the default, or
/// <c>exact</c>), <c>want</c>; root is never listed; a reseller sees only its own accounts (and itself).
/// </summary>
internal static class AccountListing
{
    public const string Command = "listaccts";

    /// <summary>Every field of an <c>acct</c> entry, in the order written.</summary>
    public static readonly IReadOnlyList<string> Fields =
        ["user", "domain", "owner", "email", "plan", "suspended", "suspendreason", "suspendtime", "startdate", "unix_startdate", "ip"];

    private static readonly string[] SearchTypes = ["domain", "ip", "user", "package", "owner", "domain_and_user"];

    public static async Task<WhmApiResult> ListAsync(HttpContext context, WhmApiParameters parameters)
    {
        var db = context.RequestServices.GetRequiredService<WhmAdminDbContext>();
        var options = context.RequestServices.GetRequiredService<IOptions<WhmAdminOptions>>().Value;
        var id = WhmApi.AccountId(context);
        var caller = id is null ? null : await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, context.RequestAborted).ConfigureAwait(false);
        if (caller is null)
        {
            return WhmApiResult.Failure(Command, AdminMessages.CallerMissing);
        }

        var (filter, refused) = ReadFilter(parameters, options.SearchTimeout, context.RequestServices.GetRequiredService<TimeProvider>());
        if (refused is not null)
        {
            return WhmApiResult.Failure(Command, refused);
        }

        var query = db.Accounts.AsNoTracking().Where(a => a.OwnerId != null); // root (no owner) is never listed, as on WHM
        if (!AdminEndpoints.IsRoot(caller))
        {
            query = query.Where(a => a.OwnerId == caller.Id || a.Id == caller.Id);
        }

        var accounts = await query.ToListAsync(context.RequestAborted).ConfigureAwait(false);
        var everyone = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.UserName, a.OwnerId }).ToListAsync(context.RequestAborted).ConfigureAwait(false);
        var owners = everyone.ToDictionary(a => a.Id, a => a.UserName, StringComparer.Ordinal);

        // An account whose owner is gone (removed while it created one) belongs to root, as removeacct makes it: never to itself.
        var rootName = everyone.FirstOrDefault(a => a.OwnerId is null)?.UserName
            ?? context.RequestServices.GetRequiredService<IOptions<SeedOptions>>().Value.RootUser;
        var entries = new List<Entry>();
        foreach (var account in accounts.OrderBy(a => a.UserName, StringComparer.Ordinal))
        {
            var entry = new Entry(account, account.OwnerId is not null && owners.TryGetValue(account.OwnerId, out var o) ? o : rootName, options.SharedIp);
            try
            {
                if (filter is null || filter(entry))
                {
                    entries.Add(entry);
                }
            }
            catch (RegexMatchTimeoutException)
            {
                return WhmApiResult.Failure(Command, AdminMessages.PatternTimedOut(parameters.Get("search")!));
            }
        }

        // WHM API 1: no match is result 1 without data. WHM API 0 (no api.version) lists {"acct":[…],"status":1,"statusmsg":"Ok"},
        // an empty acct when nothing matched, so API 0 clients can always iterate it.
        var api0 = string.IsNullOrWhiteSpace(parameters.Get(WhmApi.VersionParameter));
        if (entries.Count == 0 && !api0)
        {
            return WhmApiResult.SuccessWithoutData(Command);
        }

        var want = ReadWant(parameters);
        var timeProvider = context.RequestServices.GetRequiredService<TimeProvider>();
        return WhmApiResult.Success(Command, api0 ? "Ok" : WhmApiResult.OkReason, w =>
        {
            w.WriteStartArray("acct");
            foreach (var entry in entries)
            {
                Write(w, entry, want, timeProvider);
            }

            w.WriteEndArray();
        });
    }

    /// <summary>The fields <c>want</c> names (comma-separated; unknown names are ignored), or <see langword="null"/> for all.</summary>
    private static HashSet<string>? ReadWant(WhmApiParameters parameters) =>
        parameters.Get("want") is { } want
            ? want.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)
            : null;

    /// <summary>
    /// The filter <c>search</c>, <c>searchtype</c> and <c>searchmethod</c> ask for (<see langword="null"/>: every account), or the
    /// reason the call is refused. As on WHM: an empty <c>search</c> lists everything, a regular expression matches anywhere in
    /// the value and ignores case, <c>exact</c> ignores case for domains and user names but not for addresses and plans.
    /// <paramref name="timeout"/> is one budget for the whole call, from the pattern's parsing to its last match: a match that
    /// starts after it is spent throws <see cref="RegexMatchTimeoutException"/> (and one match alone is stopped at it too), so
    /// a pattern just under the limit on each value costs the limit once, not once per account (at most twice it in all).
    /// </summary>
    private static (Func<Entry, bool>? Filter, string? Error) ReadFilter(WhmApiParameters parameters, TimeSpan timeout, TimeProvider time)
    {
        var searchType = parameters.Get("searchtype")?.Trim();
        if (searchType is not null && searchType.Length > 0 && !SearchTypes.Contains(searchType, StringComparer.Ordinal))
        {
            return (null, AdminMessages.UnknownSearchType);
        }

        var method = parameters.Get("searchmethod")?.Trim();
        if (method is not (null or "" or "exact" or "regex"))
        {
            return (null, AdminMessages.UnknownSearchMethod(method));
        }

        var search = parameters.Get("search");
        if (string.IsNullOrEmpty(search))
        {
            return (null, null);
        }

        if (string.IsNullOrEmpty(searchType))
        {
            return (null, AdminMessages.SearchTypeRequired); // WHM would list everything here; a script that searches means to filter
        }

        Func<Entry, string?, bool> matches;
        if (method == "exact")
        {
            matches = (entry, value) => value is not null && string.Equals(value, search,
                searchType is "ip" or "package" ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            var started = time.GetTimestamp();
            Regex regex;
            try
            {
                regex = new Regex(search, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, timeout);
            }
            catch (ArgumentException ex)
            {
                return (null, AdminMessages.InvalidPattern(search, ex.Message));
            }

            matches = (entry, value) =>
            {
                if (value is null)
                {
                    return false;
                }

                if (time.GetElapsedTime(started) >= timeout)
                {
                    throw new RegexMatchTimeoutException(value, search, timeout); // the call's budget is spent
                }

                return regex.IsMatch(value);
            };
        }

        return (searchType switch
        {
            "domain" => e => matches(e, e.Account.Domain),
            "ip" => e => matches(e, e.Ip),
            "user" => e => matches(e, e.Account.UserName),
            "package" => e => matches(e, e.Plan),
            "owner" => e => matches(e, e.Owner),
            _ => e => matches(e, e.Account.UserName) || matches(e, e.Account.Domain), // domain_and_user
        }, null);
    }

    private static void Write(Utf8JsonWriter w, Entry entry, HashSet<string>? want, TimeProvider timeProvider)
    {
        var a = entry.Account;
        bool Wanted(string field) => want is null || want.Contains(field);
        w.WriteStartObject();
        if (Wanted("user"))
        {
            w.WriteString("user", a.UserName);
        }

        if (Wanted("domain"))
        {
            w.WriteString("domain", a.Domain ?? "*unknown*");
        }

        if (Wanted("owner"))
        {
            w.WriteString("owner", entry.Owner);
        }

        if (Wanted("email"))
        {
            w.WriteString("email", a.ContactEmail ?? "*unknown*");
        }

        if (Wanted("plan"))
        {
            w.WriteString("plan", entry.Plan);
        }

        if (Wanted("suspended"))
        {
            w.WriteNumber("suspended", a.IsSuspended ? 1 : 0);
        }

        if (Wanted("suspendreason"))
        {
            w.WriteString("suspendreason", a.IsSuspended ? a.SuspendReason ?? "*unknown*" : "not suspended");
        }

        if (Wanted("suspendtime"))
        {
            w.WriteNumber("suspendtime", a.IsSuspended && a.SuspendedAt is { } at ? at.ToUnixTimeSeconds() : 0);
        }

        if (Wanted("startdate"))
        {
            // WHM's format: "13 May 22 16:03" (two-digit year, month, day, time) in the server's time zone.
            var local = TimeZoneInfo.ConvertTime(a.CreatedAt, timeProvider.LocalTimeZone);
            w.WriteString("startdate", local.ToString("yy MMM dd HH:mm", CultureInfo.InvariantCulture));
        }

        if (Wanted("unix_startdate"))
        {
            w.WriteNumber("unix_startdate", a.CreatedAt.ToUnixTimeSeconds());
        }

        if (Wanted("ip"))
        {
            w.WriteString("ip", entry.Ip);
        }

        w.WriteEndObject();
    }

    /// <summary>An account with the values listaccts shows and searches.</summary>
    private sealed record Entry(Account Account, string Owner, string Ip)
    {
        public string Plan => Account.Plan ?? "undefined";
    }
}
