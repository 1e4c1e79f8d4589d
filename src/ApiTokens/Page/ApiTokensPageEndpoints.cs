using System.Collections.Concurrent;
using System.Net;
using System.Reflection;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ApiTokens.Authentication;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens.Page;

/// <summary>
/// The page's request handlers. Each one resolves the caller (host sign-in or <c>whm</c> token → account →
/// <c>manage-api-tokens</c>), checks antiforgery on state-changing cookie calls, then asks
/// <see cref="ApiTokenManager"/>, which holds every rule and message.
/// </summary>
internal static partial class ApiTokensPageEndpoints
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly ConcurrentDictionary<string, (byte[] Bytes, string ETag)> Assets = new(StringComparer.Ordinal);

    public static async Task PageAsync(HttpContext context, string prefix)
    {
        var caller = await ResolveCallerAsync(context).ConfigureAwait(false);
        if (!caller.IsSignedIn)
        {
            var schemes = Options(context).AuthenticationSchemes;
            await (schemes.Count > 0 ? context.ChallengeAsync(schemes[0]) : context.ChallengeAsync()).ConfigureAwait(false);
            return;
        }

        var options = Options(context);
        var basePath = context.Request.PathBase.Add(prefix).Value ?? prefix;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["base"] = basePath,
            ["title"] = options.Title,
            ["user"] = caller.UserName ?? caller.Principal!.FindFirst(options.UserNameClaimType)?.Value ?? string.Empty,
            ["reason"] = caller.Denial ?? string.Empty,
        };
        if (!caller.IsAllowed)
        {
            Log.Denied(Logger(context), values["user"], caller.Denial!);
            await WriteHtmlAsync(context, StatusCodes.Status403Forbidden, "not-allowed.html", values).ConfigureAwait(false);
            return;
        }

        await WriteHtmlAsync(context, StatusCodes.Status200OK, "index.html", values).ConfigureAwait(false);
    }

    public static async Task AssetAsync(HttpContext context, string name, string contentType)
    {
        var (bytes, etag) = Asset(name);
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch == etag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task SessionAsync(HttpContext context)
    {
        var caller = await AuthorizeApiAsync(context).ConfigureAwait(false);
        if (caller is null)
        {
            return;
        }

        var account = caller.Account!;
        var catalog = context.RequestServices.GetRequiredService<PrivilegeCatalog>();
        var groups = catalog.GrantableBy(account.Privileges)
            .GroupBy(p => p.Group, StringComparer.Ordinal)
            .Select(g => new PrivilegeGroupView(g.Key, g.Select(p => new PrivilegeView(p.Name, p.Description, p.Escalates)).ToArray()))
            .ToArray();
        AntiforgeryView? antiforgery = null;
        if (!caller.ViaToken)
        {
            var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
            antiforgery = new AntiforgeryView(tokens.HeaderName!, tokens.RequestToken!);
        }

        await WriteJsonAsync(
            context,
            StatusCodes.Status200OK,
            new SessionView(account.UserName, antiforgery, WhmPrivileges.EscalationWarning, ApiTokenErrors.NoPrivileges.Message, 50, groups),
            PageJsonContext.Default.SessionView).ConfigureAwait(false);
    }

    public static async Task ListAsync(HttpContext context)
    {
        var caller = await AuthorizeApiAsync(context).ConfigureAwait(false);
        if (caller is null)
        {
            return;
        }

        var manager = context.RequestServices.GetRequiredService<ApiTokenManager>();
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        var page = await manager.ListAsync(caller.Account!.Id, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var view = new TokenListView(time.GetUtcNow().ToUnixTimeSeconds(), page.Items.Select(TokenView.From).ToArray(), page.TotalCount);
        await WriteJsonAsync(context, StatusCodes.Status200OK, view, PageJsonContext.Default.TokenListView).ConfigureAwait(false);
    }

    public static async Task CreateAsync(HttpContext context)
    {
        var caller = await AuthorizeApiAsync(context, changesState: true).ConfigureAwait(false);
        var body = caller is null ? null : await ReadJsonAsync(context, PageJsonContext.Default.CreateTokenBody).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        if (!TryFromEpoch(body.ExpiresAt, out var expiresAt))
        {
            await WriteErrorAsync(context, ApiTokenErrors.ExpiryNotInFuture).ConfigureAwait(false);
            return;
        }

        var manager = context.RequestServices.GetRequiredService<ApiTokenManager>();
        var request = new ApiTokenCreateRequest
        {
            Name = body.Name ?? string.Empty,
            Acls = body.Acls,
            ExpiresAt = expiresAt,
            WhitelistIps = body.WhitelistIps,
        };
        var result = await manager.CreateAsync(caller!.Account!.Id, request, Actor(context, caller), context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await WriteErrorAsync(context, result.Error).ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(
            context,
            StatusCodes.Status201Created,
            new CreatedTokenView(TokenView.From(result.Value.Token), result.Value.PlaintextToken),
            PageJsonContext.Default.CreatedTokenView).ConfigureAwait(false);
    }

    public static async Task UpdateAsync(HttpContext context)
    {
        var caller = await AuthorizeApiAsync(context, changesState: true).ConfigureAwait(false);
        var body = caller is null ? null : await ReadJsonAsync(context, PageJsonContext.Default.UpdateTokenBody).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        if (!TryFromEpoch(body.ExpiresAt, out var expiresAt))
        {
            await WriteErrorAsync(context, ApiTokenErrors.ExpiryNotInFuture).ConfigureAwait(false);
            return;
        }

        var name = (string?)context.Request.RouteValues["name"] ?? string.Empty;
        var manager = context.RequestServices.GetRequiredService<ApiTokenManager>();
        var request = new ApiTokenUpdateRequest
        {
            NewName = body.NewName,
            Acls = body.Acls,
            ExpiresAt = body.ClearExpiry ? null : expiresAt,
            ClearExpiry = body.ClearExpiry,
            WhitelistIps = body.WhitelistIps,
        };
        var result = await manager.UpdateAsync(caller!.Account!.Id, name, request, Actor(context, caller), context.RequestAborted)
            .ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await WriteErrorAsync(context, result.Error).ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, TokenView.From(result.Value), PageJsonContext.Default.TokenView).ConfigureAwait(false);
    }

    public static async Task RevokeAsync(HttpContext context)
    {
        var caller = await AuthorizeApiAsync(context, changesState: true).ConfigureAwait(false);
        if (caller is null)
        {
            return;
        }

        var name = (string?)context.Request.RouteValues["name"] ?? string.Empty;
        var manager = context.RequestServices.GetRequiredService<ApiTokenManager>();
        var result = await manager.RevokeAsync(caller.Account!.Id, [name], Actor(context, caller), context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await WriteErrorAsync(context, result.Error).ConfigureAwait(false);
            return;
        }

        if (result.Value.Count == 0)
        {
            await WriteErrorAsync(context, ApiTokenErrors.TokenNotFound(name)).ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, new RevokedView(result.Value, result.Value.Count), PageJsonContext.Default.RevokedView)
            .ConfigureAwait(false);
    }

    public static async Task RevokeAllAsync(HttpContext context)
    {
        var caller = await AuthorizeApiAsync(context, changesState: true).ConfigureAwait(false);
        if (caller is null)
        {
            return;
        }

        var manager = context.RequestServices.GetRequiredService<ApiTokenManager>();
        var result = await manager.RevokeAllAsync(caller.Account!.Id, Actor(context, caller), context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await WriteErrorAsync(context, result.Error).ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, new RevokedView([], result.Value), PageJsonContext.Default.RevokedView).ConfigureAwait(false);
    }

    /// <summary>
    /// Resolves the caller: a <c>whm</c> header first (scripts), then the host's sign-in, then the configured
    /// schemes; then the account by user name; then the <c>manage-api-tokens</c> privilege.
    /// </summary>
    internal static async Task<PageCaller> ResolveCallerAsync(HttpContext context)
    {
        var options = Options(context);
        ClaimsPrincipal? principal = null;
        var tokenScheme = options.TokenAuthenticationScheme;
        if (tokenScheme is not null && WhmAuthorization.IsWhm(context.Request.Headers.Authorization) && await SchemeExistsAsync(context, tokenScheme).ConfigureAwait(false))
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
            return new PageCaller(principal, null, viaToken, "Your sign-in does not say who you are (it has no user name), so no account can be found. Sign in again.");
        }

        var accounts = context.RequestServices.GetRequiredService<IApiTokenAccountProvider>();
        var account = await accounts.FindByUserNameAsync(userName, context.RequestAborted).ConfigureAwait(false);
        string? denial = null;
        if (account is null)
        {
            denial = $"The user “{userName}” has no account that can own API tokens. Ask your administrator for one.";
        }
        else if (account.IsSuspended)
        {
            denial = $"The account “{userName}” is suspended. Ask your administrator to unsuspend it.";
        }
        else if (!account.Holds(WhmPrivileges.ManageApiTokens))
        {
            denial = $"The account “{userName}” does not have the Manage API Tokens privilege ({WhmPrivileges.ManageApiTokens}). " +
                "Ask your administrator to grant it.";
        }
        else if (viaToken && !principal.HasClaim(WhmClaimTypes.Privilege, WhmPrivileges.ManageApiTokens)
            && !principal.HasClaim(WhmClaimTypes.Privilege, WhmPrivileges.All))
        {
            denial = $"This API token does not have the Manage API Tokens privilege ({WhmPrivileges.ManageApiTokens}). Use a token that has it.";
        }

        return new PageCaller(principal, account, viaToken, denial);
    }

    private static async Task<PageCaller?> AuthorizeApiAsync(HttpContext context, bool changesState = false)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        var caller = await ResolveCallerAsync(context).ConfigureAwait(false);
        if (!caller.IsSignedIn)
        {
            var tokenScheme = Options(context).TokenAuthenticationScheme;
            if (caller.ViaToken && tokenScheme is not null)
            {
                await context.ChallengeAsync(tokenScheme).ConfigureAwait(false);
                return null;
            }

            await WriteJsonAsync(
                context,
                StatusCodes.Status401Unauthorized,
                new ErrorEnvelope(new ErrorView("not_signed_in", "You are not signed in. Sign in again, then reload the page.", null)),
                PageJsonContext.Default.ErrorEnvelope).ConfigureAwait(false);
            return null;
        }

        if (!caller.IsAllowed)
        {
            Log.Denied(Logger(context), caller.UserName ?? "-", caller.Denial!);
            await WriteJsonAsync(
                context,
                StatusCodes.Status403Forbidden,
                new ErrorEnvelope(new ErrorView("not_allowed", caller.Denial!, null)),
                PageJsonContext.Default.ErrorEnvelope).ConfigureAwait(false);
            return null;
        }

        if (changesState && !caller.ViaToken
            && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context).ConfigureAwait(false))
        {
            Log.AntiforgeryFailed(Logger(context), caller.UserName!, context.Connection.RemoteIpAddress?.ToString() ?? "-");
            await WriteJsonAsync(
                context,
                StatusCodes.Status400BadRequest,
                new ErrorEnvelope(new ErrorView(
                    "antiforgery", "This page's security token is missing or has expired. Reload the page and try again.", null)),
                PageJsonContext.Default.ErrorEnvelope).ConfigureAwait(false);
            return null;
        }

        return caller;
    }

    private static async Task<T?> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (!context.Request.HasJsonContentType())
        {
            await WriteJsonAsync(
                context,
                StatusCodes.Status415UnsupportedMediaType,
                new ErrorEnvelope(new ErrorView("unsupported_media_type", "Send the request body as JSON (Content-Type: application/json).", null)),
                PageJsonContext.Default.ErrorEnvelope).ConfigureAwait(false);
            return null;
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync(context.Request.Body, typeInfo, context.RequestAborted).ConfigureAwait(false);
            if (body is not null)
            {
                return body;
            }
        }
        catch (JsonException)
        {
        }
        catch (BadHttpRequestException ex)
        {
            await WriteJsonAsync(
                context,
                ex.StatusCode,
                new ErrorEnvelope(new ErrorView("bad_request", "The request body could not be read. Send a smaller JSON body.", null)),
                PageJsonContext.Default.ErrorEnvelope).ConfigureAwait(false);
            return null;
        }

        await WriteJsonAsync(
            context,
            StatusCodes.Status400BadRequest,
            new ErrorEnvelope(new ErrorView("invalid_json", "The request body is not valid JSON for this call.", null)),
            PageJsonContext.Default.ErrorEnvelope).ConfigureAwait(false);
        return null;
    }

    /// <summary>Answers 503 with the store-unavailable message instead of a 500 when the database cannot be reached.</summary>
    public static RequestDelegate Guard(RequestDelegate endpoint) => async context =>
    {
        try
        {
            await endpoint(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted && StoreFaults.IsStoreFault(ex))
        {
            await WriteErrorAsync(context, ApiTokenErrors.StoreUnavailable).ConfigureAwait(false);
        }
    };

    private static Task WriteErrorAsync(HttpContext context, ApiTokenError error)
    {
        var status = error.Code switch
        {
            ApiTokenErrorCode.DuplicateName or ApiTokenErrorCode.ConcurrencyFailure => StatusCodes.Status409Conflict,
            ApiTokenErrorCode.TokenNotFound => StatusCodes.Status404NotFound,
            ApiTokenErrorCode.AccountNotFound or ApiTokenErrorCode.AccountSuspended => StatusCodes.Status403Forbidden,
            ApiTokenErrorCode.StoreUnavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status400BadRequest,
        };
        return WriteJsonAsync(context, status, new ErrorEnvelope(ErrorView.From(error)), PageJsonContext.Default.ErrorEnvelope);
    }

    private static async Task WriteJsonAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> typeInfo)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(value, typeInfo, contentType: null, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteHtmlAsync(HttpContext context, int status, string template, Dictionary<string, string> values)
    {
        var html = Encoding.UTF8.GetString(Asset(template).Bytes);
        foreach (var (key, value) in values)
        {
            html = html.Replace("{{" + key + "}}", HtmlEncoder.Default.Encode(value), StringComparison.Ordinal);
        }

        var bytes = Encoding.UTF8.GetBytes(html);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength = bytes.Length;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.XFrameOptions = "DENY";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private static (byte[] Bytes, string ETag) Asset(string name) => Assets.GetOrAdd(name, static n =>
    {
        using var stream = typeof(ApiTokensPageEndpoints).Assembly.GetManifestResourceStream("ApiTokens.Page.Assets." + n)
            ?? throw new InvalidOperationException($"The embedded page asset '{n}' is missing from the ApiTokens assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        return (bytes, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"");
    });

    private static async Task<bool> SchemeExistsAsync(HttpContext context, string scheme) =>
        await context.RequestServices.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(scheme).ConfigureAwait(false) is not null;

    /// <summary>0 or none means never; anything else must be a representable time (the manager then checks it is in the future).</summary>
    private static bool TryFromEpoch(long? seconds, out DateTimeOffset? value)
    {
        value = null;
        if (seconds is null or 0)
        {
            return true;
        }

        if (seconds < 0 || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        value = DateTimeOffset.FromUnixTimeSeconds(seconds.Value);
        return true;
    }

    private static ApiTokenActor Actor(HttpContext context, PageCaller caller) =>
        new(caller.UserName, context.Connection.RemoteIpAddress?.ToString());

    private static ApiTokensPageOptions Options(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<ApiTokensPageOptions>>().Value;

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ApiTokens.Page");

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "API tokens page refused to user {UserName}: {Reason}")]
        public static partial void Denied(ILogger logger, string userName, string reason);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Warning,
            Message = "API tokens page: antiforgery validation failed for user {UserName} from {RemoteAddress}")]
        public static partial void AntiforgeryFailed(ILogger logger, string userName, string remoteAddress);
    }
}
