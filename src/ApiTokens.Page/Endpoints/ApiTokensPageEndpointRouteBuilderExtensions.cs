using ApiTokens.Page;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the "Manage API Tokens" page.</summary>
public static class ApiTokensPageEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the "Manage API Tokens" page at <paramref name="prefix"/> (for example <c>/tokens</c>) for the signed-in
    /// user of the host app, with its script and style at <c>{prefix}/tokens.js</c> and <c>{prefix}/tokens.css</c>
    /// and its JSON endpoints under <c>{prefix}/api/</c>. Those accept the host's sign-in (a cookie, protected by
    /// antiforgery) and <c>Authorization: whm user:token</c>. The user needs <c>manage-api-tokens</c> (or <c>all</c>);
    /// anyone else gets a "not allowed" page (403). Needs <c>services.AddApiTokens(…).AddPage()</c>.
    /// </summary>
    /// <param name="endpoints">The app or a route group.</param>
    /// <param name="prefix">Where the page lives: starts with <c>/</c>, does not end with one.</param>
    /// <returns>A builder for all the page's endpoints, to add conventions such as rate limiting.</returns>
    public static RouteGroupBuilder MapApiTokensPage(this IEndpointRouteBuilder endpoints, string prefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (endpoints.ServiceProvider.GetService<ApiTokensPageMarker>() is null)
        {
            throw new InvalidOperationException(PageMessages.MissingServices);
        }

        if (!prefix.StartsWith('/') || prefix.EndsWith('/'))
        {
            throw new ArgumentException(PageMessages.InvalidPrefix(prefix), nameof(prefix));
        }

        var group = endpoints.MapGroup(prefix);
        group.MapGet(string.Empty, (HttpContext context) => SessionHandlers.Page(context, prefix)).AddEndpointFilter(PageCallerFilter.ForPage(prefix));
        group.MapGet("/tokens.js", PageAssets.Serve("tokens.js", "text/javascript; charset=utf-8"));
        group.MapGet("/tokens.css", PageAssets.Serve("tokens.css", "text/css; charset=utf-8"));

        var api = group.MapGroup("/api").AddEndpointFilter(PageCallerFilter.ForApi());
        api.MapGet("/session", SessionHandlers.Session);
        api.MapGet("/tokens", TokenHandlers.ListAsync);
        api.MapPost("/tokens", TokenHandlers.CreateAsync);
        api.MapPut("/tokens/{name}", TokenHandlers.UpdateAsync);
        api.MapPost("/tokens/{name}/rotate", TokenHandlers.RotateAsync);
        api.MapDelete("/tokens/{name}", TokenHandlers.RevokeAsync);
        api.MapPost("/revoke-all", TokenHandlers.RevokeAllAsync);
        api.MapGet("/history", HistoryHandlers.ListAsync);
        return group;
    }
}
