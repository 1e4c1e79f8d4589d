using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ApiTokens.Page;

/// <summary>
/// The page itself and the session the script loads first. <see cref="PageCallerFilter"/> has already let the caller in.
/// </summary>
internal static class SessionHandlers
{
    /// <summary>The page (<c>index.html</c>) for the allowed caller.</summary>
    public static IResult Page(HttpContext context, string prefix) => PageDocument.Allowed(context, prefix, PageCaller.Of(context));

    /// <summary>
    /// Who is signed in, the antiforgery token (cookie callers only), the privileges the account may grant from the host's
    /// catalogue (WHM's ACL chart by default), grouped as the catalogue groups them, and the token name rule from
    /// <see cref="TokenNames"/>, so the script checks names as the server does; also the grace periods "Regenerate" offers
    /// (<see cref="GracePeriodChoices"/>) and whether there is a "History" (an audit store is registered).
    /// </summary>
    public static IResult Session(
        HttpContext context, PrivilegeCatalog catalog, IAntiforgery antiforgery, ApiTokenManager manager, IOptions<ApiTokenOptions> options)
    {
        var caller = PageCaller.Of(context);
        var account = caller.AllowedAccount;
        var groups = catalog.GroupsGrantableBy(account.Privileges)
            .Select(g => new PrivilegeGroupView(g.Name, g.Privileges.Select(p => new PrivilegeView(p.Name, p.Description, p.Escalates)).ToArray()))
            .ToArray();
        AntiforgeryView? antiforgeryView = null;
        if (!caller.ViaToken)
        {
            var tokens = antiforgery.GetAndStoreTokens(context);
            antiforgeryView = new AntiforgeryView(tokens.HeaderName!, tokens.RequestToken!);
        }

        var view = new SessionView(
            account.UserName,
            antiforgeryView,
            WhmPrivileges.EscalationWarning,
            ApiTokenErrors.NoPrivileges.Message,
            TokenNames.MaxLength,
            TokenNames.Pattern,
            groups,
            GracePeriodChoices.Within(options.Value.Rotation.MaxGracePeriod),
            manager.HasAuditTrail);
        return PageJson.Result(StatusCodes.Status200OK, view, PageJsonContext.Default.SessionView);
    }
}
