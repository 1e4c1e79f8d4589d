using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ApiTokens.Authentication;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Page.Tests.Infrastructure;

/// <summary>
/// The shared <see cref="ApiTokensTestHost"/> (Kestrel on loopback, in-memory store and accounts, fake time, a light
/// hasher, a captured log) wired as a real app wires the page: cookie sign-in at <c>/login</c> (passwords stored
/// hashed), the <c>whm</c> scheme for scripts behind a policy scheme that is the default, privilege-protected API
/// endpoints, and <c>MapApiTokensPage("/tokens")</c>.
/// </summary>
public sealed class PageTestHost : IAsyncDisposable
{
    public const string Password = "correct horse battery staple";

    /// <summary>The privileges of the seeded reseller: WHM's initial reseller privileges plus account listing.</summary>
    public static readonly string[] ResellerPrivileges = [.. WhmPrivileges.InitialResellerPrivileges, "list-accts", "edit-dns"];

    /// <summary>The host's default scheme: a cookie for browsers, the whm scheme when the request sends a whm header.</summary>
    private const string SmartScheme = "smart";

    /// <summary>
    /// The host's own vocabulary for <see cref="StartWithOwnPrivilegesAsync"/>: an orders app that is not a WHM, with names
    /// in the forms apps use (dots, colons, capitals) and one privilege that escalates.
    /// </summary>
    public static readonly Privilege[] OwnPrivileges =
    [
        new("orders.read", "Orders", "See orders and their lines."),
        new("orders:write", "Orders", "Create, change and cancel orders."),
        new("Reports.Export", "Reports", "Download reports as CSV."),
        new("staff.impersonate", "Staff", "Act as another member of staff.", Escalates: true),
    ];

    /// <summary>The privileges of the clerk in <see cref="StartWithOwnPrivilegesAsync"/>: two of the app's and the one that opens the page.</summary>
    public static readonly string[] ClerkPrivileges = ["orders.read", "orders:write", WhmPrivileges.ManageApiTokens];

    private static readonly string[] Users = ["root", "reseller", "viewer", "clerk"];

    private readonly ApiTokensTestHost _host;

    private PageTestHost(ApiTokensTestHost host) => _host = host;

    public Uri BaseAddress => _host.BaseAddress;

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public FakeTimeProvider Time => _host.Time;

    public InMemoryAccountProvider Accounts => _host.Accounts;

    /// <summary>Every log line of the host, to check what is (not) logged.</summary>
    public CapturingLoggerProvider Logs => _host.Log;

    public static Task<PageTestHost> StartAsync() => StartAsync(customize: null);

    /// <summary>
    /// The WHM-chart app, with <paramref name="customize"/> run on the test host builder last: core options
    /// (<c>ConfigureOptions</c>), more registrations (<c>ConfigureApiTokens(b =&gt; b.AddInMemoryAuditStore())</c> turns on
    /// "History"), a store wrapper (<c>WrapStore</c>).
    /// </summary>
    public static Task<PageTestHost> StartAsync(Action<ApiTokensTestHostBuilder>? customize) => StartAsync(
        configure: null,
        accounts =>
        {
            accounts.Add("root", WhmPrivileges.All);
            accounts.Add("reseller", ResellerPrivileges);
            accounts.Add("viewer", "list-accts", "basic-whm-functions");
        },
        MapEndpoints,
        customize);

    /// <summary>The WHM-chart app with an in-memory audit store, so the page has "History".</summary>
    public static Task<PageTestHost> StartWithHistoryAsync(Action<ApiTokensTestHostBuilder>? customize = null) =>
        StartAsync(b =>
        {
            b.ConfigureApiTokens(t => t.AddInMemoryAuditStore());
            customize?.Invoke(b);
        });

    /// <summary>
    /// The same app with its own privilege vocabulary (<see cref="OwnPrivileges"/> in <c>ApiTokenOptions.Privileges</c>) instead of
    /// WHM's chart: root holds <c>all</c>, the clerk <see cref="ClerkPrivileges"/>; <c>/api/orders</c> (GET needs <c>orders.read</c>,
    /// POST <c>orders:write</c>) and <c>/api/reports</c> (<c>Reports.Export</c>) are the endpoints tokens are tried on.
    /// </summary>
    public static Task<PageTestHost> StartWithOwnPrivilegesAsync() => StartAsync(
        configure: o =>
        {
            foreach (var privilege in OwnPrivileges)
            {
                o.Privileges.Add(privilege);
            }
        },
        accounts =>
        {
            accounts.Add("root", WhmPrivileges.All);
            accounts.Add("clerk", ClerkPrivileges);
        },
        app =>
        {
            MapSignIn(app);
            app.MapGet("/api/orders", () => Results.Json(new { orders = new[] { 1001 } })).RequirePrivilege("orders.read");
            app.MapPost("/api/orders", () => Results.Json(new { created = 1002 })).RequirePrivilege("orders:write");
            app.MapGet("/api/reports", () => Results.Text("id,total\n1001,12.50\n")).RequirePrivilege("Reports.Export");
            app.MapApiTokensPage("/tokens");
        });

    private static async Task<PageTestHost> StartAsync(
        Action<ApiTokenOptions>? configure, Action<InMemoryAccountProvider> seed, Action<WebApplication> map, Action<ApiTokensTestHostBuilder>? customize = null)
    {
        var passwords = new PasswordStore();
        foreach (var user in Users)
        {
            passwords.Set(user, Password);
        }

        var builder = new ApiTokensTestHostBuilder()
            // The page shows times to a browser that runs on the real clock, so the fake clock starts now (whole seconds).
            .StartingAt(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()))
            // Accounts (WHM's chart): root holds everything, a reseller holds the initial reseller privileges plus two,
            // and a viewer holds no manage-api-tokens.
            .SeedAccounts(seed)
            .ConfigureApiTokens(b => b.AddPage())
            .WithDefaultScheme(SmartScheme)
            .ConfigureServices(services => AddSignIn(services, passwords))
            .ConfigureApp(map);
        if (configure is not null)
        {
            builder.ConfigureOptions(configure);
        }

        customize?.Invoke(builder);

        return new PageTestHost(await builder.StartAsync());
    }

    /// <summary>Creates a token directly through the manager, as another tab or a script would.</summary>
    public async Task<string> CreateTokenAsync(string user, string name, string[]? acls = null, DateTimeOffset? expiresAt = null)
    {
        var account = await FindAsync(user);
        return (await _host.CreateTokenAsync(account, name, acls, expiresAt)).PlaintextToken;
    }

    /// <summary>The token manager of the host, as a script or the CLI would use it.</summary>
    public ApiTokenManager Manager => _host.Manager;

    /// <summary>The id of <paramref name="user"/>'s account.</summary>
    public async Task<string> AccountIdAsync(string user) => (await FindAsync(user)).Id;

    public async Task<IReadOnlyList<string>> TokenNamesAsync(string user)
    {
        var account = await FindAsync(user);
        return (await _host.Manager.ListAsync(account.Id)).Items.Select(t => t.Name).ToArray();
    }

    /// <summary>Changes what an account holds, as an administrator would.</summary>
    public async Task SetPrivilegesAsync(string user, params string[] privileges)
    {
        var account = await FindAsync(user);
        Accounts.Update(account.Id, privileges: privileges);
        await _host.Manager.AccountChangedAsync(account.Id);
    }

    /// <summary>Calls the app the way curl would: <c>Authorization: whm user:token</c>.</summary>
    public async Task<HttpResponseMessage> CallWithTokenAsync(string path, string user, string token, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("whm", $"{user}:{token}");
        return await _host.Client.SendAsync(request);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    /// <summary>Browsers sign in with a cookie; scripts send "Authorization: whm user:token".</summary>
    private static void AddSignIn(IServiceCollection services, PasswordStore passwords)
    {
        services.AddSingleton(passwords);
        services.AddAuthentication()
            .AddPolicyScheme(SmartScheme, "Cookie or whm token", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("whm ", StringComparison.OrdinalIgnoreCase)
                    ? WhmTokenDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/login";
                o.Cookie.Name = "whmadmin";
                o.Cookie.SameSite = SameSiteMode.Strict;
            });
    }

    private static void MapEndpoints(WebApplication app)
    {
        MapSignIn(app);

        // Privilege-protected API endpoints that tokens are tested against.
        app.MapGet("/json-api/listaccts", (ClaimsPrincipal user) => Results.Json(new { user = user.Identity!.Name, accounts = new[] { "root" } }))
            .RequirePrivilege("list-accts");
        app.MapGet("/json-api/dumpzone", () => Results.Json(new { zone = "example.com" })).RequirePrivilege("edit-dns");

        app.MapApiTokensPage("/tokens");
    }

    private static void MapSignIn(WebApplication app)
    {
        app.MapGet("/login", (HttpContext ctx, IAntiforgery antiforgery) => LoginPage(ctx, antiforgery, error: null));
        app.MapPost("/login", async (HttpContext ctx, IAntiforgery antiforgery, PasswordStore store, IApiTokenAccountProvider accounts) =>
        {
            if (!await antiforgery.IsRequestValidAsync(ctx))
            {
                return LoginPage(ctx, antiforgery, "Your login form expired. Try again.");
            }

            var form = await ctx.Request.ReadFormAsync();
            var user = form["username"].ToString();
            if (!store.Verify(user, form["password"].ToString())
                || await accounts.FindByUserNameAsync(user, ctx.RequestAborted) is not { IsSuspended: false } account)
            {
                return LoginPage(ctx, antiforgery, "The user name or password is wrong.");
            }

            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, account.UserName), new Claim(ClaimTypes.NameIdentifier, account.Id)],
                CookieAuthenticationDefaults.AuthenticationScheme);
            await ctx.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            var returnUrl = form["returnUrl"].ToString();
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl : "/tokens");
        });
    }

    private async Task<ApiTokenAccount> FindAsync(string user) =>
        await Accounts.FindByUserNameAsync(user, default) ?? throw new InvalidOperationException(user);

    private static bool IsLocal(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    private static IResult LoginPage(HttpContext ctx, IAntiforgery antiforgery, string? error)
    {
        var tokens = antiforgery.GetAndStoreTokens(ctx);
        var enc = HtmlEncoder.Default;
        var returnUrl = ctx.Request.Query["ReturnUrl"].ToString();
        if (ctx.Request.HasFormContentType)
        {
            returnUrl = ctx.Request.Form["returnUrl"].ToString();
        }

        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Log in</title></head>
            <body>
            <main>
            <h1>Log in</h1>
            {(error is null ? "" : $"<p role=\"alert\">{enc.Encode(error)}</p>")}
            <form method="post" action="/login">
              <input type="hidden" name="{enc.Encode(tokens.FormFieldName)}" value="{enc.Encode(tokens.RequestToken!)}">
              <input type="hidden" name="returnUrl" value="{enc.Encode(returnUrl)}">
              <p><label for="username">User name</label><br><input id="username" name="username" autocomplete="username" required></p>
              <p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
              <p><button type="submit">Log in</button></p>
            </form>
            </main>
            </body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: error is null ? 200 : 400);
    }
}
