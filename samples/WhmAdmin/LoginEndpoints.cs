using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace WhmAdmin;

/// <summary>
/// Browser sign-in: <c>GET/POST /login</c> (user name and password, antiforgery-protected, local return URLs only)
/// and <c>GET/POST /logout</c>. Scripts never use these: they send <c>Authorization: whm user:token</c>.
/// </summary>
internal static class LoginEndpoints
{
    public const string WrongCredentials = "The user name or password is wrong.";

    public const string Suspended = "This account is suspended. Ask root to unsuspend it.";

    public const string FormExpired = "Your login form expired. Try again.";

    public const string TooManyFailures = "Too many failed logins for this user name or from this address. Try again later.";

    /// <summary>The longest user name read from the form; no account has a longer one (16 characters), so longer ones fail at once.</summary>
    private const int MaxUserNameLength = 64;

    public const string DefaultReturnUrl = "/tokens";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (HttpContext context, IAntiforgery antiforgery) =>
            LoginPage(context, antiforgery, context.Request.Query["ReturnUrl"].ToString(), userName: string.Empty, error: null));
        app.MapPost("/login", LogInAsync);
        app.MapGet("/logout", LogoutPage);
        app.MapPost("/logout", LogOutAsync);
    }

    /// <summary>
    /// A URL of this app that is safe to redirect to after login: no scheme, host or protocol-relative form, and printable ASCII
    /// only (a <c>Location</c> header cannot carry anything else: <c>/%E3%80%80</c> made every login through that link a 500).
    /// </summary>
    public static bool IsLocalUrl(string? url) =>
        !string.IsNullOrEmpty(url)
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && url.All(c => c is > ' ' and < (char)127);

    /// <summary>A user name as the log may show it: at most 64 characters, control characters (newlines) as <c>?</c>.</summary>
    public static string Loggable(string userName)
    {
        var shown = userName.Length > MaxUserNameLength ? userName[..MaxUserNameLength] + "…" : userName;
        return string.Create(shown.Length, shown, (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = char.IsControl(s[i]) ? '?' : s[i];
            }
        });
    }

    private static async Task<IResult> LogInAsync(
        HttpContext context, IAntiforgery antiforgery, WhmAdminDbContext db, ILoggerFactory loggers, LoginThrottle throttle)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var userName = form["username"].ToString().Trim();
        var returnUrl = form["returnUrl"].ToString();
        if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            return LoginPage(context, antiforgery, returnUrl, userName, FormExpired);
        }

        var logger = loggers.CreateLogger("WhmAdmin.Login");
        var remoteIp = context.Connection.RemoteIpAddress?.ToString();
        var shownName = Loggable(userName);
        using var attempt = throttle.TryBegin(userName, context.Connection.RemoteIpAddress);
        if (attempt is null)
        {
            // Before the lookup and the hash, the same answer for a name that exists and one that does not.
            context.Response.Headers.RetryAfter = ((int)throttle.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return LoginPage(context, antiforgery, returnUrl, shownName, TooManyFailures, StatusCodes.Status429TooManyRequests);
        }

        var candidate = userName.Length is 0 or > MaxUserNameLength
            ? null
            : await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserName == userName, context.RequestAborted).ConfigureAwait(false);
        var account = candidate is not null && string.Equals(candidate.UserName, userName, StringComparison.Ordinal) ? candidate : null;
        if (!AccountPasswords.Verify(account, form["password"].ToString()))
        {
            Log.LoginFailed(logger, shownName, remoteIp, account is null ? "unknown user" : account.PasswordHash is null ? "no password set" : "wrong password");
            if (attempt.Failed())
            {
                Log.LoginBlocked(logger, shownName, remoteIp, throttle.Window);
            }

            return LoginPage(context, antiforgery, returnUrl, shownName, WrongCredentials);
        }

        if (account!.IsSuspended)
        {
            Log.LoginFailed(logger, shownName, remoteIp, "suspended");
            return LoginPage(context, antiforgery, returnUrl, shownName, Suspended);
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, account.UserName), new Claim(ClaimTypes.NameIdentifier, account.Id)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        Log.LoggedIn(logger, account.UserName, remoteIp);
        return Results.LocalRedirect(IsLocalUrl(returnUrl) ? returnUrl : DefaultReturnUrl);
    }

    private static async Task<IResult> LogOutAsync(HttpContext context, IAntiforgery antiforgery, ILoggerFactory loggers)
    {
        if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            return LogoutPage(context, antiforgery);
        }

        var user = (await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false)).Principal?.Identity?.Name;
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
        Log.LoggedOut(loggers.CreateLogger("WhmAdmin.Login"), user);
        return Results.LocalRedirect("/login");
    }

    private static IResult LogoutPage(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var enc = HtmlEncoder.Default;
        var body = $"""
            <h1>Log out</h1>
            <form method="post" action="/logout">
              <input type="hidden" name="{enc.Encode(tokens.FormFieldName)}" value="{enc.Encode(tokens.RequestToken!)}">
              <p><button type="submit">Log out</button></p>
            </form>
            <p><a href="/tokens">Back to API Tokens</a></p>
            """;
        return Html(context, "Log out", body, StatusCodes.Status200OK);
    }

    private static IResult LoginPage(HttpContext context, IAntiforgery antiforgery, string returnUrl, string userName, string? error, int? statusCode = null)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var enc = HtmlEncoder.Default;
        var body = $"""
            <h1>WhmAdmin</h1>
            <p class="lead">Log in to manage your API tokens.</p>
            {(error is null ? string.Empty : $"<p class=\"error\" role=\"alert\">{enc.Encode(error)}</p>")}
            <form method="post" action="/login">
              <input type="hidden" name="{enc.Encode(tokens.FormFieldName)}" value="{enc.Encode(tokens.RequestToken!)}">
              <input type="hidden" name="returnUrl" value="{enc.Encode(IsLocalUrl(returnUrl) ? returnUrl : DefaultReturnUrl)}">
              <p><label for="username">User name</label><input id="username" name="username" value="{enc.Encode(userName)}" autocomplete="username" autocapitalize="none" spellcheck="false" required{(userName.Length == 0 ? " autofocus" : string.Empty)}></p>
              <p><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required{(userName.Length == 0 ? string.Empty : " autofocus")}></p>
              <p><button type="submit">Log in</button></p>
            </form>
            """;
        return Html(context, "Log in", body, statusCode ?? (error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest));
    }

    private static IResult Html(HttpContext context, string title, string body, int statusCode)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{title}} · WhmAdmin</title>
            <style>
              body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f4f6f8; color: #1d2b36; margin: 0; }
              main { max-width: 22rem; margin: 8vh auto; background: #fff; padding: 1.5rem 2rem; border: 1px solid #d5dde5; border-radius: 6px; }
              h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
              .lead { color: #52606d; margin-top: 0; }
              label { display: block; font-weight: 600; margin-bottom: .25rem; }
              input { width: 100%; box-sizing: border-box; padding: .5rem; font: inherit; border: 1px solid #9aa5b1; border-radius: 4px; }
              input:focus, button:focus { outline: 3px solid #7cb8ff; outline-offset: 1px; }
              button { background: #1766c0; color: #fff; border: 0; border-radius: 4px; padding: .55rem 1.2rem; font: inherit; cursor: pointer; }
              .error { background: #fdecea; border: 1px solid #e0a39c; color: #8a1c12; padding: .5rem .75rem; border-radius: 4px; }
            </style></head>
            <body><main>
            {{body}}
            </main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: statusCode);
    }
}
