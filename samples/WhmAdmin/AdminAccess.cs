using ApiTokens;
using ApiTokens.Whm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace WhmAdmin;

/// <summary>Who may call an account function on which account, and saving its change; shared by <see cref="AdminEndpoints"/>.</summary>
internal static class AdminAccess
{
    /// <summary>
    /// The account named by <paramref name="parameter"/>, if the caller may manage it (root, or its owner; never itself). Root
    /// (the account without an owner) is not an account in WHM's sense: a call naming it is told it does not exist, whoever
    /// calls, as listaccts never lists it (an account granted <c>all</c> cannot suspend, change or remove root).
    /// </summary>
    internal static async Task<(WhmAdminDbContext Db, Account? Target, WhmApiResult? Error)> FindManagedAsync(
        HttpContext context, WhmApiParameters parameters, string command, string parameter)
    {
        var db = context.RequestServices.GetRequiredService<WhmAdminDbContext>();
        if (await CallerAsync(context, db).ConfigureAwait(false) is not { } caller)
        {
            return (db, null, WhmApiResult.Failure(command, AdminMessages.CallerMissing));
        }

        var userName = parameters.Get(parameter)?.Trim();
        if (string.IsNullOrEmpty(userName))
        {
            return (db, null, WhmApiResult.Failure(command, AdminMessages.MissingParameter(parameter)));
        }

        var target = await db.Accounts.FirstOrDefaultAsync(a => a.UserName == userName, context.RequestAborted).ConfigureAwait(false);
        if (target is null || !string.Equals(target.UserName, userName, StringComparison.Ordinal) || target.OwnerId is null)
        {
            return (db, null, WhmApiResult.Failure(command, AdminMessages.NoSuchAccount(userName)));
        }

        if (target.Id == caller.Id)
        {
            return (db, null, WhmApiResult.Failure(command, AdminMessages.NotYourself(userName)));
        }

        if (!AdminEndpoints.IsRoot(caller) && target.OwnerId != caller.Id)
        {
            return (db, null, WhmApiResult.Failure(command, AdminMessages.NotYours(userName)));
        }

        return (db, target, null);
    }

    internal static async Task<Account?> CallerAsync(HttpContext context, WhmAdminDbContext db)
    {
        var id = WhmApi.AccountId(context);
        return id is null ? null : await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Saves; <see langword="false"/> when another call removed or changed the row meanwhile (EF's concurrency exception: the
    /// update or delete touched no row). Answered as a WHM refusal, never a 500.
    /// </summary>
    internal static async Task<bool> TrySaveAsync(WhmAdminDbContext db, HttpContext context)
    {
        try
        {
            await db.SaveChangesAsync(context.RequestAborted).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    internal static ApiTokenManager Manager(HttpContext context) => context.RequestServices.GetRequiredService<ApiTokenManager>();
}
