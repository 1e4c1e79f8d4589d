using ApiTokens;
using ApiTokens.Whm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace WhmAdmin;

/// <summary>
/// WHM's account functions over the sample's accounts table, each protected by its WHM privilege and answering GET and
/// POST, in WHM API 1 (<c>api.version=1</c>) or WHM API 0 (no <c>api.version</c>), as WHM does.
/// </summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        // MapWhmFunction gives each function WHM's transport: GET and POST, the query string and a form body joined, the API 1
        // envelope for api.version=1 and, without it, the shape WHM API 0 gives that function.
        app.MapWhmFunction("version", WhmApi0Shape.Data, VersionAsync).RequirePrivilege("basic-whm-functions");
        app.MapWhmFunction("listaccts", WhmApi0Shape.Status, AccountListing.ListAsync).RequirePrivilege("list-accts");
        app.MapWhmFunction("createacct", WhmApi0Shape.ResultList, CreateAsync).RequirePrivilege("create-acct");
        app.MapWhmFunction("suspendacct", WhmApi0Shape.ResultList, (c, p) => SetSuspendedAsync(c, p, "suspendacct", true))
            .RequirePrivilege("suspend-acct");
        app.MapWhmFunction("unsuspendacct", WhmApi0Shape.ResultList, (c, p) => SetSuspendedAsync(c, p, "unsuspendacct", false))
            .RequirePrivilege("suspend-acct");
        app.MapWhmFunction("modifyacct", WhmApi0Shape.ResultList, ModifyAsync).RequirePrivilege("edit-account");
        app.MapWhmFunction("removeacct", WhmApi0Shape.ResultList, RemoveAsync).RequirePrivilege("kill-acct");
        app.MapWhmFunction("setacls", WhmApi0Shape.ResultList, SetAclsAsync).RequirePrivilege(WhmPrivileges.All);
    }

    /// <summary>Whether the account is root (holds <c>all</c>): it sees and manages every account.</summary>
    public static bool IsRoot(Account account) => account.PrivilegeList.Contains(WhmPrivileges.All, StringComparer.Ordinal);

    private static Task<WhmApiResult> VersionAsync(HttpContext context, WhmApiParameters parameters)
    {
        var version = context.RequestServices.GetRequiredService<IOptions<WhmAdminOptions>>().Value.Version;
        return Task.FromResult(WhmApiResult.Success("version", w => w.WriteString("version", version)));
    }

    private static async Task<WhmApiResult> CreateAsync(HttpContext context, WhmApiParameters parameters)
    {
        const string command = "createacct";
        var db = context.RequestServices.GetRequiredService<WhmAdminDbContext>();
        if (await AdminAccess.CallerAsync(context, db).ConfigureAwait(false) is not { } caller)
        {
            return WhmApiResult.Failure(command, AdminMessages.CallerMissing);
        }

        var userName = parameters.Get("username")?.Trim();
        if (string.IsNullOrEmpty(userName))
        {
            return WhmApiResult.Failure(command, AdminMessages.MissingParameter("username"));
        }

        if (!AccountRules.IsValidUserName(userName))
        {
            return WhmApiResult.Failure(command, AdminMessages.InvalidUserName(userName));
        }

        var domainValue = parameters.Get("domain")?.Trim();
        if (string.IsNullOrEmpty(domainValue))
        {
            return WhmApiResult.Failure(command, AdminMessages.MissingParameter("domain"));
        }

        if (!AccountRules.TryNormalizeDomain(domainValue, out var domain))
        {
            return WhmApiResult.Failure(command, AdminMessages.InvalidDomain(domainValue));
        }

        var plan = parameters.Get("plan")?.Trim() is { Length: > 0 } p ? p : "default"; // WHM's package when none is given
        if (!AccountRules.IsValidPlan(plan))
        {
            return WhmApiResult.Failure(command, AdminMessages.InvalidPlan(plan));
        }

        var email = parameters.Get("contactemail")?.Trim() is { Length: > 0 } e ? e : null;
        if (email is not null && !AccountRules.IsValidEmail(email))
        {
            return WhmApiResult.Failure(command, AdminMessages.InvalidEmail(email));
        }

        var password = parameters.Get("password");
        if (!string.IsNullOrEmpty(password) && password.Length < AccountRules.MinPasswordLength)
        {
            return WhmApiResult.Failure(command, AdminMessages.PasswordTooShort);
        }

        // reseller=1 makes a WHM account a reseller. Every account of this sample is already one (it has no cPanel-only users:
        // each account holds WHM's Basic privileges, can own accounts and use API tokens), so the flag is checked and changes nothing.
        if (parameters.Get("reseller")?.Trim() is { Length: > 0 } reseller && reseller is not ("0" or "1"))
        {
            return WhmApiResult.Failure(command, AdminMessages.InvalidFlag("reseller", reseller));
        }

        if (await db.Accounts.AnyAsync(a => a.UserName == userName, context.RequestAborted).ConfigureAwait(false))
        {
            return WhmApiResult.Failure(command, AdminMessages.UserNameTaken(userName));
        }

        if (await db.Accounts.AnyAsync(a => a.Domain == domain, context.RequestAborted).ConfigureAwait(false))
        {
            return WhmApiResult.Failure(command, AdminMessages.DomainTaken(domain));
        }

        var account = new Account
        {
            Id = Guid.NewGuid().ToString("N"),
            UserName = userName,
            OwnerId = caller.Id,
            Privileges = Account.JoinPrivileges(WhmPrivileges.InitialResellerPrivileges),
            CreatedAt = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
            Domain = domain,
            ContactEmail = email,
            Plan = plan,
        };
        if (!string.IsNullOrEmpty(password))
        {
            account.PasswordHash = AccountPasswords.Hash(account, password); // the account can log in to the page
        }

        db.Accounts.Add(account);
        try
        {
            await db.SaveChangesAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            return WhmApiResult.Failure(command, AdminMessages.UserNameTaken(userName)); // lost a race for the name or domain
        }

        var ip = context.RequestServices.GetRequiredService<IOptions<WhmAdminOptions>>().Value.SharedIp;
        return WhmApiResult.Success(command, AdminMessages.Created(userName), w =>
        {
            w.WriteString("user", account.UserName);
            w.WriteString("domain", domain);
            w.WriteString("owner", caller.UserName);
            w.WriteString("plan", plan);
            w.WriteString("ip", ip);
        });
    }

    private static async Task<WhmApiResult> SetSuspendedAsync(HttpContext context, WhmApiParameters parameters, string command, bool suspend)
    {
        var (db, target, error) = await AdminAccess.FindManagedAsync(context, parameters, command, "user").ConfigureAwait(false);
        if (target is null)
        {
            return error!;
        }

        var reason = parameters.Get("reason")?.Trim() is { Length: > 0 } r ? r : null;
        if (reason is { Length: > AccountRules.MaxReasonLength })
        {
            return WhmApiResult.Failure(command, AdminMessages.ReasonTooLong);
        }

        if (target.IsSuspended == suspend)
        {
            // As on WHM: suspending a suspended account, or unsuspending an active one, succeeds and changes nothing.
            return WhmApiResult.Success(command, suspend ? AdminMessages.AlreadySuspended(target.UserName) : AdminMessages.NotSuspended(target.UserName),
                w => WriteSuspension(w, target));
        }

        target.IsSuspended = suspend;
        target.SuspendReason = suspend ? reason : null;
        target.SuspendedAt = suspend ? context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow() : null;
        if (!await AdminAccess.TrySaveAsync(db, context).ConfigureAwait(false))
        {
            return WhmApiResult.Failure(command, AdminMessages.ChangedMeanwhile(target.UserName));
        }

        await AdminAccess.Manager(context).AccountChangedAsync(target.Id, context.RequestAborted).ConfigureAwait(false);
        return WhmApiResult.Success(command, suspend ? AdminMessages.Suspended(target.UserName) : AdminMessages.Unsuspended(target.UserName),
            w => WriteSuspension(w, target));
    }

    private static void WriteSuspension(System.Text.Json.Utf8JsonWriter w, Account target)
    {
        w.WriteString("user", target.UserName);
        w.WriteNumber("suspended", target.IsSuspended ? 1 : 0);
        if (target.IsSuspended)
        {
            w.WriteString("reason", target.SuspendReason ?? string.Empty);
        }
    }

    private static async Task<WhmApiResult> ModifyAsync(HttpContext context, WhmApiParameters parameters)
    {
        const string command = "modifyacct";
        var (db, target, error) = await AdminAccess.FindManagedAsync(context, parameters, command, "user").ConfigureAwait(false);
        if (target is null)
        {
            return error!;
        }

        var newUser = parameters.Get("newuser")?.Trim();
        var domainValue = (parameters.Get("domain") ?? parameters.Get("DNS"))?.Trim(); // WHM's own name for it is DNS
        var email = parameters.Get("contactemail")?.Trim();
        if (newUser is null && domainValue is null && email is null)
        {
            // As WHM's contract has it, only user is required: nothing to change answers the account as it is.
            return WhmApiResult.Success(command, AdminMessages.Unchanged(target.UserName), w => WriteModified(w, target, target.UserName));
        }

        if (newUser is not null && !AccountRules.IsValidUserName(newUser))
        {
            return WhmApiResult.Failure(command, AdminMessages.InvalidUserName(newUser));
        }

        var domain = target.Domain;
        if (domainValue is not null && !AccountRules.TryNormalizeDomain(domainValue, out domain))
        {
            return WhmApiResult.Failure(command, AdminMessages.InvalidDomain(domainValue));
        }

        if (email is { Length: > 0 } && !AccountRules.IsValidEmail(email))
        {
            return WhmApiResult.Failure(command, AdminMessages.InvalidEmail(email));
        }

        if (newUser is not null && newUser != target.UserName
            && await db.Accounts.AnyAsync(a => a.UserName == newUser, context.RequestAborted).ConfigureAwait(false))
        {
            return WhmApiResult.Failure(command, AdminMessages.UserNameTaken(newUser));
        }

        if (domain != target.Domain
            && await db.Accounts.AnyAsync(a => a.Domain == domain && a.Id != target.Id, context.RequestAborted).ConfigureAwait(false))
        {
            return WhmApiResult.Failure(command, AdminMessages.DomainTaken(domain!));
        }

        var oldUser = target.UserName;
        target.UserName = newUser ?? target.UserName;
        target.Domain = domain;
        if (email is not null)
        {
            target.ContactEmail = email.Length == 0 ? null : email; // contactemail= clears it
        }

        try
        {
            await db.SaveChangesAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            return WhmApiResult.Failure(command, AdminMessages.ChangedMeanwhile(oldUser)); // removed (or changed) by another call meanwhile
        }
        catch (DbUpdateException)
        {
            return WhmApiResult.Failure(command, AdminMessages.UserNameTaken(target.UserName)); // lost a race for the name or domain
        }

        await AdminAccess.Manager(context).AccountChangedAsync(target.Id, context.RequestAborted).ConfigureAwait(false);
        return WhmApiResult.Success(command, AdminMessages.Modified(target.UserName), w => WriteModified(w, target, oldUser));
    }

    private static void WriteModified(System.Text.Json.Utf8JsonWriter w, Account target, string oldUser)
    {
        w.WriteString("user", target.UserName);
        w.WriteString("olduser", oldUser);
        w.WriteString("domain", target.Domain ?? "*unknown*");
        w.WriteString("email", target.ContactEmail ?? "*unknown*");
    }

    private static async Task<WhmApiResult> RemoveAsync(HttpContext context, WhmApiParameters parameters)
    {
        const string command = "removeacct";

        // As on WHM: user or username; keepdns is accepted (the sample keeps no DNS zones).
        var parameter = parameters.Get("user") is { Length: > 0 } ? "user" : parameters.Get("username") is { Length: > 0 } ? "username" : null;
        if (parameter is null)
        {
            return WhmApiResult.Failure(command, AdminMessages.MissingEither("user", "username"));
        }

        var (db, target, error) = await AdminAccess.FindManagedAsync(context, parameters, command, parameter).ConfigureAwait(false);
        if (target is null)
        {
            return error!;
        }

        // Tokens first: if the token store fails, the account is still there (the answer says nothing was changed, and a retry
        // works), and the manager has already dropped its cached tokens. The other order deleted the account and left its
        // tokens in the store, and a retry said the account does not exist.
        var revoked = await AdminAccess.Manager(context).AccountDeletedAsync(target.Id, WhmApi.Actor(context), context.RequestAborted).ConfigureAwait(false);
        if (!revoked.Succeeded)
        {
            return WhmApiResult.Failure(command, revoked.Error.Message);
        }

        // As WHM does when a reseller is terminated without its accounts: they pass to root, in the same SaveChanges.
        var rootId = await db.Accounts.Where(a => a.OwnerId == null).Select(a => a.Id).FirstOrDefaultAsync(context.RequestAborted).ConfigureAwait(false);
        foreach (var owned in await db.Accounts.Where(a => a.OwnerId == target.Id).ToListAsync(context.RequestAborted).ConfigureAwait(false))
        {
            owned.OwnerId = rootId ?? target.OwnerId; // root always exists (no call can remove it); else the removed account's owner
        }

        db.Accounts.Remove(target);
        if (!await AdminAccess.TrySaveAsync(db, context).ConfigureAwait(false))
        {
            return WhmApiResult.Failure(command, AdminMessages.ChangedMeanwhile(target.UserName));
        }

        return WhmApiResult.Success(command, AdminMessages.Removed(target.UserName), w =>
        {
            w.WriteString("user", target.UserName);
            w.WriteNumber("revoked_tokens", revoked.Value);
        });
    }

    private static async Task<WhmApiResult> SetAclsAsync(HttpContext context, WhmApiParameters parameters)
    {
        const string command = "setacls";
        var parameter = parameters.Get("reseller") is { Length: > 0 } ? "reseller" : parameters.Get("user") is { Length: > 0 } ? "user" : null;
        if (parameter is null)
        {
            return WhmApiResult.Failure(command, AdminMessages.MissingEither("reseller", "user"));
        }

        // As on WHM: one acl-<name>=1 key per privilege held; acl-<name>=0, or no key, means not held. The list replaces the old one.
        var granted = new List<string>();
        var unknown = new List<string>();
        var catalog = context.RequestServices.GetRequiredService<PrivilegeCatalog>();
        foreach (var key in parameters.Names.Order(StringComparer.Ordinal))
        {
            if (key == "acl" || key == "acllist")
            {
                return WhmApiResult.Failure(command, AdminMessages.AclListNotSupported(key));
            }

            if (!key.StartsWith("acl-", StringComparison.Ordinal))
            {
                continue;
            }

            var value = parameters.Get(key)!.Trim();
            if (value is not ("0" or "1"))
            {
                return WhmApiResult.Failure(command, AdminMessages.InvalidAclValue(key, value));
            }

            var name = key["acl-".Length..];
            if (!catalog.Contains(name))
            {
                unknown.Add(name);
            }
            else if (value == "1")
            {
                granted.Add(name);
            }
        }

        if (unknown.Count > 0)
        {
            return WhmApiResult.Failure(command, AdminMessages.UnknownPrivileges(unknown));
        }

        var (db, target, error) = await AdminAccess.FindManagedAsync(context, parameters, command, parameter).ConfigureAwait(false);
        if (target is null)
        {
            return error!;
        }

        target.Privileges = Account.JoinPrivileges(granted);
        if (!await AdminAccess.TrySaveAsync(db, context).ConfigureAwait(false))
        {
            return WhmApiResult.Failure(command, AdminMessages.ChangedMeanwhile(target.UserName));
        }

        await AdminAccess.Manager(context).AccountChangedAsync(target.Id, context.RequestAborted).ConfigureAwait(false);
        return WhmApiResult.Success(command, AdminMessages.AclsSet(target.UserName), w =>
        {
            w.WriteString("reseller", target.UserName);
            w.WriteStartArray("acl");
            foreach (var acl in target.PrivilegeList)
            {
                w.WriteStringValue(acl);
            }

            w.WriteEndArray();
        });
    }
}
