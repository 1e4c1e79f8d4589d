using ApiTokens.Authorization;
using ApiTokens.Whm;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens.Page;

/// <summary>
/// Runs before every page endpoint except the script and style: resolves the caller once (<see cref="PageCallerResolver"/>),
/// refuses whoever may not manage tokens, checks antiforgery on a state-changing cookie call, and puts the allowed caller on the
/// request (<see cref="PageCaller.Of"/>) for the handler. A store that cannot be reached answers 503, never 500.
/// </summary>
/// <remarks>
/// The page (<see cref="ForPage"/>) challenges a caller who is not signed in (the host's login) and shows the "not allowed" page
/// (403). The JSON endpoints (<see cref="ForApi"/>) answer 401 (or the <c>whm</c> scheme's challenge for a bad token), 403
/// <c>not_allowed</c>, and 400 <c>antiforgery</c> for a cookie call to POST, PUT or DELETE without a valid antiforgery token;
/// <c>whm</c> token calls need no antiforgery token (a browser never sends that header by itself).
/// </remarks>
internal sealed class PageCallerFilter : IEndpointFilter
{
    private readonly string? _pagePrefix;

    private PageCallerFilter(string? pagePrefix) => _pagePrefix = pagePrefix;

    /// <summary>The filter of the HTML page mapped at <paramref name="prefix"/>.</summary>
    public static PageCallerFilter ForPage(string prefix) => new(prefix);

    /// <summary>The filter of the JSON endpoints.</summary>
    public static PageCallerFilter ForApi() => new(null);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        try
        {
            var refusal = _pagePrefix is null ? await AuthorizeApiAsync(http).ConfigureAwait(false) : await AuthorizePageAsync(http, _pagePrefix).ConfigureAwait(false);
            return refusal ?? await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested && !http.Response.HasStarted && HttpStoreFaults.IsStoreFault(ex))
        {
            return PageJson.Error(ApiTokenErrors.StoreUnavailable);
        }
    }

    private static async Task<IResult?> AuthorizePageAsync(HttpContext context, string prefix)
    {
        var caller = await PageCallerResolver.ResolveAsync(context).ConfigureAwait(false);
        if (!caller.IsSignedIn)
        {
            var schemes = Options(context).AuthenticationSchemes;
            return schemes.Count > 0 ? Results.Challenge(authenticationSchemes: [schemes[0]]) : Results.Challenge();
        }

        if (!caller.IsAllowed)
        {
            var page = PageDocument.NotAllowed(context, prefix, caller);
            Log.Denied(Logger(context), page.User, caller.Denial!);
            return page;
        }

        caller.AttachTo(context);
        return null;
    }

    private static async Task<IResult?> AuthorizeApiAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        var caller = await PageCallerResolver.ResolveAsync(context).ConfigureAwait(false);
        if (!caller.IsSignedIn)
        {
            var tokenScheme = Options(context).TokenAuthenticationScheme;
            return caller.ViaToken && tokenScheme is not null
                ? Results.Challenge(authenticationSchemes: [tokenScheme])
                : PageJson.Error(StatusCodes.Status401Unauthorized, "not_signed_in", PageMessages.NotSignedIn);
        }

        if (!caller.IsAllowed)
        {
            Log.Denied(Logger(context), caller.UserName ?? "-", caller.Denial!);
            return PageJson.Error(StatusCodes.Status403Forbidden, "not_allowed", caller.Denial!);
        }

        if (SignedInAccountPrivileges.IsUnsafe(context.Request.Method) && !caller.ViaToken
            && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context).ConfigureAwait(false))
        {
            Log.AntiforgeryFailed(Logger(context), caller.UserName!, context.Connection.RemoteIpAddress?.ToString() ?? "-");
            return PageJson.Error(StatusCodes.Status400BadRequest, "antiforgery", PageMessages.Antiforgery);
        }

        // A rotated token's previous value may read, but not change tokens (see WhmClaimTypes.PreviousValue).
        if (SignedInAccountPrivileges.IsUnsafe(context.Request.Method) && caller.ViaToken
            && caller.Principal!.HasClaim(Authentication.WhmClaimTypes.PreviousValue, "true"))
        {
            return PageJson.Error(StatusCodes.Status403Forbidden, "previous_value", PageMessages.PreviousValueCannotManage);
        }

        caller.AttachTo(context);
        return null;
    }

    private static ApiTokensPageOptions Options(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<ApiTokensPageOptions>>().Value;

    private static ILogger Logger(HttpContext context) => context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(Log.Category);
}
