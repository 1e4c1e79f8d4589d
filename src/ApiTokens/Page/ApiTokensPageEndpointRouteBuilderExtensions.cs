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
    /// anyone else gets a "not allowed" page (403).
    /// </summary>
    /// <returns>A builder for all the page's endpoints, to add conventions such as rate limiting.</returns>
    public static RouteGroupBuilder MapApiTokensPage(this IEndpointRouteBuilder endpoints, string prefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (endpoints.ServiceProvider.GetService<ApiTokensPageMarker>() is null)
        {
            throw new InvalidOperationException(
                "MapApiTokensPage needs the page's services: call builder.Services.AddApiTokensPage() before building the app.");
        }

        if (!prefix.StartsWith('/') || prefix.EndsWith('/'))
        {
            throw new ArgumentException($"The page prefix '{prefix}' must start with '/' and not end with '/', for example \"/tokens\".", nameof(prefix));
        }

        var group = endpoints.MapGroup(prefix);
        group.MapGet(string.Empty, ApiTokensPageEndpoints.Guard(ctx => ApiTokensPageEndpoints.PageAsync(ctx, prefix)));
        group.MapGet("/tokens.js", ctx => ApiTokensPageEndpoints.AssetAsync(ctx, "tokens.js", "text/javascript; charset=utf-8"));
        group.MapGet("/tokens.css", ctx => ApiTokensPageEndpoints.AssetAsync(ctx, "tokens.css", "text/css; charset=utf-8"));
        group.MapGet("/api/session", ApiTokensPageEndpoints.Guard(ApiTokensPageEndpoints.SessionAsync));
        group.MapGet("/api/tokens", ApiTokensPageEndpoints.Guard(ApiTokensPageEndpoints.ListAsync));
        group.MapPost("/api/tokens", ApiTokensPageEndpoints.Guard(ApiTokensPageEndpoints.CreateAsync));
        group.MapPut("/api/tokens/{name}", ApiTokensPageEndpoints.Guard(ApiTokensPageEndpoints.UpdateAsync));
        group.MapDelete("/api/tokens/{name}", ApiTokensPageEndpoints.Guard(ApiTokensPageEndpoints.RevokeAsync));
        group.MapPost("/api/revoke-all", ApiTokensPageEndpoints.Guard(ApiTokensPageEndpoints.RevokeAllAsync));
        return group;
    }
}
