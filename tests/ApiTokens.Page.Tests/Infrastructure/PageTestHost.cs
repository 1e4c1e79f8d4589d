using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using ApiTokens.Authentication;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using System.Security.Claims;

namespace ApiTokens.Page.Tests.Infrastructure;

/// <summary>
/// A small host app on Kestrel loopback, as a real app would wire the page: cookie sign-in at <c>/login</c>
/// (passwords stored hashed), the <c>whm</c> scheme for scripts, in-memory store and accounts, privilege-protected
/// API endpoints, and <c>MapApiTokensPage("/tokens")</c>.
/// </summary>
public sealed class PageTestHost : IAsyncDisposable
{
    public const string Password = "correct horse battery staple";

    /// <summary>The privileges of the seeded reseller: WHM's initial reseller privileges plus account listing.</summary>
    public static readonly string[] ResellerPrivileges = [.. WhmPrivileges.InitialResellerPrivileges, "list-accts", "edit-dns"];

    private readonly WebApplication _app;

    private PageTestHost(WebApplication app, FakeTimeProvider time, CapturingLoggerProvider logs)
    {
        _app = app;
        Time = time;
        Logs = logs;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public Uri BaseAddress { get; }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public FakeTimeProvider Time { get; }

    public InMemoryAccountProvider Accounts => _app.Services.GetRequiredService<InMemoryAccountProvider>();

    /// <summary>Every log line of the host, to check what is (not) logged.</summary>
    public CapturingLoggerProvider Logs { get; }

    public static async Task<PageTestHost> StartAsync()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var logs = new CapturingLoggerProvider();
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<TimeProvider>(time);

        // Accounts: root holds everything, a reseller holds the initial reseller privileges plus two,
        // and a viewer holds no manage-api-tokens.
        var passwords = new PasswordStore();
        builder.Services.AddSingleton(passwords);
        builder.Services
            .AddApiTokens(o => o.Hashing = new Argon2HashingOptions { MemoryCost = 64, TimeCost = 1, Parallelism = 1 })
            .AddInMemoryStore()
            .AddInMemoryAccounts(accounts =>
            {
                accounts.Add("root", WhmPrivileges.All);
                accounts.Add("reseller", ResellerPrivileges);
                accounts.Add("viewer", "list-accts", "basic-whm-functions");
            })
            .AddPage();
        foreach (var user in new[] { "root", "reseller", "viewer" })
        {
            passwords.Set(user, Password);
        }

        // Browsers sign in with a cookie; scripts send "Authorization: whm user:token".
        builder.Services.AddAuthentication("smart")
            .AddPolicyScheme("smart", "Cookie or whm token", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("whm ", StringComparison.OrdinalIgnoreCase)
                    ? WhmTokenDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/login";
                o.Cookie.Name = "whmadmin";
                o.Cookie.SameSite = SameSiteMode.Strict;
            })
            .AddWhmTokens();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

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

        // Privilege-protected API endpoints that tokens are tested against.
        app.MapGet("/json-api/listaccts", (ClaimsPrincipal user) => Results.Json(new { user = user.Identity!.Name, accounts = new[] { "root" } }))
            .RequirePrivilege("list-accts");
        app.MapGet("/json-api/dumpzone", () => Results.Json(new { zone = "example.com" })).RequirePrivilege("edit-dns");

        app.MapApiTokensPage("/tokens");

        await app.StartAsync();
        return new PageTestHost(app, time, logs);
    }

    /// <summary>Creates a token directly through the manager, as another tab or a script would.</summary>
    public async Task<string> CreateTokenAsync(string user, string name, string[]? acls = null, DateTimeOffset? expiresAt = null)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<ApiTokenManager>();
        var account = await Accounts.FindByUserNameAsync(user, default) ?? throw new InvalidOperationException(user);
        var result = await manager.CreateAsync(account.Id, new ApiTokenCreateRequest { Name = name, Acls = acls, ExpiresAt = expiresAt });
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value!.PlaintextToken;
    }

    public async Task<IReadOnlyList<string>> TokenNamesAsync(string user)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<ApiTokenManager>();
        var account = await Accounts.FindByUserNameAsync(user, default) ?? throw new InvalidOperationException(user);
        return (await manager.ListAsync(account.Id)).Items.Select(t => t.Name).ToArray();
    }

    /// <summary>Calls the app the way curl would: <c>Authorization: whm user:token</c>.</summary>
    public async Task<HttpResponseMessage> CallWithTokenAsync(string path, string user, string token, HttpMethod? method = null)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("whm", $"{user}:{token}");
        return await client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

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
