using System.Security.Claims;
using ApiTokens.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace WhmAdmin;

/// <summary>
/// Browsers sign in with a cookie at <c>/login</c>; scripts send <c>Authorization: whm user:token</c>. A policy scheme
/// picks one per request. <c>/json-api</c> keeps answering as a token API: 401 with <c>WWW-Authenticate: whm</c>,
/// 403 naming the missing privilege, never a redirect to the login form. The endpoints are in <see cref="LoginEndpoints"/>.
/// </summary>
internal static class SignIn
{
    /// <summary>The default scheme: forwards to the cookie or to the whm token handler.</summary>
    public const string Scheme = "cookie-or-whm";

    /// <summary>Adds the <see cref="Scheme"/> policy scheme and the sign-in cookie.</summary>
    public static AuthenticationBuilder AddCookieSignIn(this AuthenticationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .AddPolicyScheme(Scheme, "Cookie or whm token", o => o.ForwardDefaultSelector = context =>
                WhmAuthorization.IsWhm(context.Request.Headers.Authorization)
                    ? WhmTokenDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.Cookie.Name = "whmadmin";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = context => IsApi(context.Request)
                    ? context.HttpContext.ChallengeAsync(WhmTokenDefaults.AuthenticationScheme)
                    : RedirectAsync(context);
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
                o.Events.OnValidatePrincipal = ValidateSessionAsync;
            });

        static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/json-api", StringComparison.OrdinalIgnoreCase);

        static Task RedirectAsync(RedirectContext<CookieAuthenticationOptions> context)
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
    }

    /// <summary>A session ends when its account is removed, renamed or suspended.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var name = context.Principal?.Identity?.Name;
        var db = context.HttpContext.RequestServices.GetRequiredService<WhmAdminDbContext>();
        var account = id is null ? null : await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (account is null || account.IsSuspended || !string.Equals(account.UserName, name, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
        }
    }
}
