using System.Security.Claims;
using ApiTokens.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApiTokens.Page;

/// <summary>
/// Finds out who calls the page: a <c>whm</c> header first (scripts), then the host's sign-in, then the configured schemes; then
/// the account by user name; then the <c>manage-api-tokens</c> privilege (held by the account and, for a token, by the token).
/// </summary>
internal static class PageCallerResolver
{
    public static async Task<PageCaller> ResolveAsync(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<ApiTokensPageOptions>>().Value;
        ClaimsPrincipal? principal = null;
        var tokenScheme = options.TokenAuthenticationScheme;
        if (tokenScheme is not null && WhmAuthorization.IsWhm(context.Request.Headers.Authorization)
            && await SchemeExistsAsync(context, tokenScheme).ConfigureAwait(false))
        {
            var result = await context.AuthenticateAsync(tokenScheme).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return new PageCaller(null, null, ViaToken: true, null);
            }

            principal = result.Principal;
        }
        else if (context.User.Identity?.IsAuthenticated == true)
        {
            principal = context.User;
        }
        else
        {
            foreach (var scheme in options.AuthenticationSchemes)
            {
                var result = await context.AuthenticateAsync(scheme).ConfigureAwait(false);
                if (result.Succeeded)
                {
                    principal = result.Principal;
                    break;
                }
            }
        }

        if (principal is null)
        {
            return new PageCaller(null, null, ViaToken: false, null);
        }

        context.User = principal; // antiforgery binds its token to this user
        var viaToken = tokenScheme is not null
            && principal.Identities.Any(i => i.IsAuthenticated && string.Equals(i.AuthenticationType, tokenScheme, StringComparison.Ordinal));
        var userName = principal.FindFirst(options.UserNameClaimType)?.Value;
        if (string.IsNullOrEmpty(userName))
        {
            return new PageCaller(principal, null, viaToken, PageMessages.NoUserName);
        }

        var accounts = context.RequestServices.GetRequiredService<IApiTokenAccountProvider>();
        var account = await accounts.FindByUserNameAsync(userName, context.RequestAborted).ConfigureAwait(false);
        var denial = account switch
        {
            null => PageMessages.NoAccount(userName),
            { IsSuspended: true } => PageMessages.AccountSuspended(userName),
            _ when !account.Holds(WhmPrivileges.ManageApiTokens) => PageMessages.AccountLacksPrivilege(userName),
            _ when viaToken && !principal.HasClaim(WhmClaimTypes.Privilege, WhmPrivileges.ManageApiTokens)
                && !principal.HasClaim(WhmClaimTypes.Privilege, WhmPrivileges.All) => PageMessages.TokenLacksPrivilege,
            _ => null,
        };
        return new PageCaller(principal, account, viaToken, denial);
    }

    private static async Task<bool> SchemeExistsAsync(HttpContext context, string scheme) =>
        await context.RequestServices.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(scheme).ConfigureAwait(false) is not null;
}
