using ApiTokens.Authentication;
using ApiTokens;
using ApiTokens.Authorization;
using ApiTokens.Whm;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps WHM API 1's token functions.</summary>
public static class WhmTokenApiEndpointRouteBuilderExtensions
{
    /// <summary>The default route prefix, as WHM's: <c>/json-api</c>.</summary>
    public const string DefaultPrefix = "/json-api";

    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Post];

    /// <summary>
    /// Maps <c>api_token_create</c>, <c>api_token_list</c>, <c>api_token_update</c>, <c>api_token_revoke</c> and
    /// <c>api_token_get_details</c> under <c>/json-api/</c>, protected by <c>manage-api-tokens</c> (or <c>all</c>),
    /// acting on the caller's own tokens. Returns the group so you can add conventions (rate limits, CORS…).
    /// </summary>
    /// <remarks>
    /// Every function answers <c>GET</c> and <c>POST</c>, as WHM does: scripts written for WHM use both.
    /// A state-changing <c>GET</c> is safe from cross-site request forgery here because these calls authenticate
    /// with the <c>whm</c> scheme only (whatever the app's default scheme), from the <c>Authorization</c> header,
    /// which a browser never adds on its own: a cookie sign-in gets a 401 here. Prefer <c>POST</c> with a form body all the same: a query string ends up in access logs, and
    /// <c>api_token_get_details</c> takes a token as a parameter.
    /// </remarks>
    public static RouteGroupBuilder MapWhmTokenApi(this IEndpointRouteBuilder endpoints) => endpoints.MapWhmTokenApi(DefaultPrefix);

    /// <summary>Maps the token functions under <paramref name="prefix"/> instead of <c>/json-api</c>.</summary>
    public static RouteGroupBuilder MapWhmTokenApi(this IEndpointRouteBuilder endpoints, string prefix) =>
        endpoints.MapWhmTokenApi(prefix, WhmTokenDefaults.AuthenticationScheme);

    /// <summary>
    /// Maps the token functions under <paramref name="prefix"/>, authenticated by the <c>whm</c> scheme registered as
    /// <paramref name="authenticationScheme"/>.
    /// </summary>
    public static RouteGroupBuilder MapWhmTokenApi(this IEndpointRouteBuilder endpoints, string prefix, string authenticationScheme)
    {
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var group = endpoints.MapGroup(prefix);
        // One policy object, its scheme plus the privilege: a scheme-only [Authorize] would pull in the host's default policy
        // (and its schemes, for example a cookie whose principal carries privilege claims).
        group.RequireAuthorization(new AuthorizationPolicyBuilder(authenticationScheme)
            .AddRequirements(new PrivilegeRequirement(WhmPrivileges.ManageApiTokens))
            .Build());
        Map(group, WhmTokenApiHandlers.Create, WhmTokenApiHandlers.CreateAsync);
        Map(group, WhmTokenApiHandlers.List, WhmTokenApiHandlers.ListAsync);
        Map(group, WhmTokenApiHandlers.Update, WhmTokenApiHandlers.UpdateAsync);
        Map(group, WhmTokenApiHandlers.Revoke, WhmTokenApiHandlers.RevokeAsync);
        Map(group, WhmTokenApiHandlers.GetDetails, WhmTokenApiHandlers.GetDetailsAsync);
        return group;
    }

    private static void Map(RouteGroupBuilder group, string command, Func<HttpContext, WhmApiParameters, Task<WhmApiResult>> handler) =>
        group.MapMethods("/" + command, Methods, WhmApi.Handler(command, handler));
}
