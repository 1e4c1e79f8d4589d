using System.Reflection;
using ApiTokens.Whm;
using ApiTokens;
using Microsoft.EntityFrameworkCore;

namespace WhmAdmin;

/// <summary>
/// WHM API 1 account functions over the sample's accounts table, each protected by its WHM privilege and answering
/// GET and POST as WHM does.
/// </summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        // As on WHM, every function answers GET and POST, its parameters read from the query string and a form body joined.
        string[] methods = [HttpMethods.Get, HttpMethods.Post];
        app.MapMethods("/json-api/version", methods, WhmApi.Handler("version", VersionAsync)).RequirePrivilege("basic-whm-functions");
        app.MapMethods("/json-api/listaccts", methods, WhmApi.Handler("listaccts", ListAsync)).RequirePrivilege("list-accts");
        app.MapMethods("/json-api/createacct", methods, WhmApi.Handler("createacct", CreateAsync)).RequirePrivilege("create-acct");
        app.MapMethods("/json-api/suspendacct", methods, WhmApi.Handler("suspendacct", (c, p) => SetSuspendedAsync(c, p, "suspendacct", true)))
            .RequirePrivilege("suspend-acct");
        app.MapMethods("/json-api/unsuspendacct", methods, WhmApi.Handler("unsuspendacct", (c, p) => SetSuspendedAsync(c, p, "unsuspendacct", false)))
            .RequirePrivilege("suspend-acct");
        app.MapMethods("/json-api/modifyacct", methods, WhmApi.Handler("modifyacct", ModifyAsync)).RequirePrivilege("edit-account");
        app.MapMethods("/json-api/removeacct", methods, WhmApi.Handler("removeacct", RemoveAsync)).RequirePrivilege("kill-acct");
        app.MapMethods("/json-api/setacls", methods, WhmApi.Handler("setacls", SetAclsAsync)).RequirePrivilege(WhmPrivileges.All);
    }

    private static Task<WhmApiResult> VersionAsync(HttpContext context, WhmApiParameters parameters)
    {
        var version = typeof(ApiTokenManager).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        version = plus < 0 ? version : version[..plus];
        return Task.FromResult(WhmApiResult.Success("version", w => w.WriteString("version", version)));
    }

    private static async Task<WhmApiResult> ListAsync(HttpContext context, WhmApiParameters parameters)
    {
        var db = context.RequestServices.GetRequiredService<WhmAdminDbContext>();
        if (await CallerAsync(context, db).ConfigureAwait(false) is not { } caller)
        {
            return WhmApiResult.Failure("listaccts", AdminMessages.CallerMissing);
        }

        var query = db.Accounts.AsNoTracking();
        if (!IsRoot(caller))
        {
            query = query.Where(a => a.OwnerId == caller.Id || a.Id == caller.Id);
        }

        var accounts = await query.OrderBy(a => a.UserName).ToListAsync(context.RequestAborted).ConfigureAwait(false);
        var owners = await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.UserName, context.RequestAborted).ConfigureAwait(false);
        return WhmApiResult.Success("listaccts", w =>
        {
            w.WriteStartArray("acct");
            foreach (var a in accounts)
            {
                w.WriteStartObject();
                w.WriteString("user", a.UserName);
                w.WriteString("owner", a.OwnerId is not null && owners.TryGetValue(a.OwnerId, out var o) ? o : a.UserName);
                w.WriteNumber("suspended", a.IsSuspended ? 1 : 0);
                w.WriteNumber("unix_startdate", a.CreatedAt.ToUnixTimeSeconds());
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private static async Task<WhmApiResult> CreateAsync(HttpContext context, WhmApiParameters parameters)
    {
        const string command = "createacct";
        var db = context.RequestServices.GetRequiredService<WhmAdminDbContext>();
        if (await CallerAsync(context, db).ConfigureAwait(false) is not { } caller)
        {
            return WhmApiResult.Failure(command, AdminMessages.CallerMissing);
        }

        var userName = parameters.Get("username")?.Trim();
        if (string.IsNullOrEmpty(userName))
        {
            return WhmApiResult.Failure(command, AdminMessages.MissingParameter("username"));
        }

        if (!IsValidUserName(userName))
        {
            return WhmApiResult.Failure(command, AdminMessages.InvalidUserName(userName));
        }

        if (await db.Accounts.AnyAsync(a => a.UserName == userName, context.RequestAborted).ConfigureAwait(false))
        {
            return WhmApiResult.Failure(command, AdminMessages.UserNameTaken(userName));
        }

        var account = new Account
        {
            Id = Guid.NewGuid().ToString("N"),
            UserName = userName,
            OwnerId = caller.Id,
            Privileges = Account.JoinPrivileges(WhmPrivileges.InitialResellerPrivileges),
            CreatedAt = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
        };
        db.Accounts.Add(account);
        try
        {
            await db.SaveChangesAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            return WhmApiResult.Failure(command, AdminMessages.UserNameTaken(userName)); // lost a race for the name
        }

        return WhmApiResult.Success(command, w =>
        {
            w.WriteString("user", account.UserName);
            w.WriteString("owner", caller.UserName);
        });
    }

    private static async Task<WhmApiResult> SetSuspendedAsync(HttpContext context, WhmApiParameters parameters, string command, bool suspend)
    {
        var (db, target, error) = await FindManagedAsync(context, parameters, command, "user").ConfigureAwait(false);
        if (target is null)
        {
            return error!;
        }

        if (target.IsSuspended == suspend)
        {
            return WhmApiResult.Failure(command, suspend ? AdminMessages.AlreadySuspended : AdminMessages.NotSuspended);
        }

        target.IsSuspended = suspend;
        await db.SaveChangesAsync(context.RequestAborted).ConfigureAwait(false);
        await Manager(context).AccountChangedAsync(target.Id, context.RequestAborted).ConfigureAwait(false);
        return WhmApiResult.Success(command, w =>
        {
            w.WriteString("user", target.UserName);
            w.WriteNumber("suspended", suspend ? 1 : 0);
        });
    }

    private static async Task<WhmApiResult> ModifyAsync(HttpContext context, WhmApiParameters parameters)
    {
        const string command = "modifyacct";
        var (db, target, error) = await FindManagedAsync(context, parameters, command, "user").ConfigureAwait(false);
        if (target is null)
        {
            return error!;
        }

        var newUser = parameters.Get("newuser")?.Trim();
        if (string.IsNullOrEmpty(newUser))
        {
            return WhmApiResult.Failure(command, AdminMessages.MissingParameter("newuser"));
        }

        if (!IsValidUserName(newUser))
        {
            return WhmApiResult.Failure(command, AdminMessages.InvalidUserName(newUser));
        }

        if (newUser != target.UserName
            && await db.Accounts.AnyAsync(a => a.UserName == newUser, context.RequestAborted).ConfigureAwait(false))
        {
            return WhmApiResult.Failure(command, AdminMessages.UserNameTaken(newUser));
        }

        var oldUser = target.UserName;
        target.UserName = newUser;
        try
        {
            await db.SaveChangesAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            return WhmApiResult.Failure(command, AdminMessages.UserNameTaken(newUser));
        }

        await Manager(context).AccountChangedAsync(target.Id, context.RequestAborted).ConfigureAwait(false);
        return WhmApiResult.Success(command, w =>
        {
            w.WriteString("user", newUser);
            w.WriteString("olduser", oldUser);
        });
    }

    private static async Task<WhmApiResult> RemoveAsync(HttpContext context, WhmApiParameters parameters)
    {
        const string command = "removeacct";
        var (db, target, error) = await FindManagedAsync(context, parameters, command, "user").ConfigureAwait(false);
        if (target is null)
        {
            return error!;
        }

        db.Accounts.Remove(target);
        await db.SaveChangesAsync(context.RequestAborted).ConfigureAwait(false);
        var revoked = await Manager(context).AccountDeletedAsync(target.Id, WhmApi.Actor(context), context.RequestAborted).ConfigureAwait(false);
        return revoked.Succeeded
            ? WhmApiResult.Success(command, w =>
            {
                w.WriteString("user", target.UserName);
                w.WriteNumber("revoked_tokens", revoked.Value);
            })
            : WhmApiResult.Failure(command, revoked.Error.Message);
    }

    private static async Task<WhmApiResult> SetAclsAsync(HttpContext context, WhmApiParameters parameters)
    {
        const string command = "setacls";
        var (db, target, error) = await FindManagedAsync(context, parameters, command, "reseller").ConfigureAwait(false);
        if (target is null)
        {
            return error!;
        }

        var acls = parameters.GetList("acl");
        if (acls is null || acls.Count == 0)
        {
            return WhmApiResult.Failure(command, AdminMessages.NoPrivileges);
        }

        var catalog = context.RequestServices.GetRequiredService<PrivilegeCatalog>();
        var unknown = acls.Where(a => !catalog.Contains(a)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            return WhmApiResult.Failure(command, AdminMessages.UnknownPrivileges(unknown));
        }

        target.Privileges = Account.JoinPrivileges(acls);
        await db.SaveChangesAsync(context.RequestAborted).ConfigureAwait(false);
        await Manager(context).AccountChangedAsync(target.Id, context.RequestAborted).ConfigureAwait(false);
        return WhmApiResult.Success(command, w =>
        {
            w.WriteString("reseller", target.UserName);
            w.WriteStartArray("acls");
            foreach (var acl in target.PrivilegeList)
            {
                w.WriteStringValue(acl);
            }

            w.WriteEndArray();
        });
    }

    /// <summary>The account named by <paramref name="parameter"/>, if the caller may manage it (root, or its owner; never itself).</summary>
    private static async Task<(WhmAdminDbContext Db, Account? Target, WhmApiResult? Error)> FindManagedAsync(
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
        if (target is null || !string.Equals(target.UserName, userName, StringComparison.Ordinal))
        {
            return (db, null, WhmApiResult.Failure(command, AdminMessages.NoSuchAccount(userName)));
        }

        if (target.Id == caller.Id)
        {
            return (db, null, WhmApiResult.Failure(command, AdminMessages.NotYourself(userName)));
        }

        if (!IsRoot(caller) && target.OwnerId != caller.Id)
        {
            return (db, null, WhmApiResult.Failure(command, AdminMessages.NotYours(userName)));
        }

        return (db, target, null);
    }

    private static async Task<Account?> CallerAsync(HttpContext context, WhmAdminDbContext db)
    {
        var id = WhmApi.AccountId(context);
        return id is null ? null : await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, context.RequestAborted).ConfigureAwait(false);
    }

    private static bool IsRoot(Account account) => account.PrivilegeList.Contains(WhmPrivileges.All, StringComparer.Ordinal);

    private static ApiTokenManager Manager(HttpContext context) => context.RequestServices.GetRequiredService<ApiTokenManager>();

    private static bool IsValidUserName(string name) =>
        name.Length is >= 1 and <= 16 && char.IsAsciiLetterLower(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));
}
