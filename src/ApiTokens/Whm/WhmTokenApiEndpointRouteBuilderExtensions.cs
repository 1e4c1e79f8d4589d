using ApiTokens.Authentication;
using ApiTokens;
using ApiTokens.Authorization;
using ApiTokens.Whm;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps WHM API 1's token functions, and WHM functions of the host's own, with WHM's transport and refusals.</summary>
public static class WhmTokenApiEndpointRouteBuilderExtensions
{
    /// <summary>The default route prefix, as WHM's: <c>/json-api</c>.</summary>
    public const string DefaultPrefix = "/json-api";

    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Post];

    /// <summary>
    /// Maps <c>api_token_create</c>, <c>api_token_list</c>, <c>api_token_update</c>, <c>api_token_revoke</c>,
    /// <c>api_token_get_details</c> and this project's <c>api_token_rotate</c> (a new value for a token, the old one kept for an
    /// optional <c>grace_period</c> in seconds) under <c>/json-api/</c>, protected by <c>manage-api-tokens</c> (or <c>all</c>),
    /// acting on the caller's own tokens, and answers any other function under the prefix with WHM's envelope
    /// (<c>result</c> 0, "Unknown app…"). Every route of the group is a WHM route: a refused credential gets cpsrvd's 403
    /// "Access denied" and a missing privilege a 403 WHM answer (see <see cref="WhmApiOptions"/>). Returns the group so you can
    /// add conventions (rate limits, CORS…).
    /// </summary>
    /// <remarks>
    /// Every function answers <c>GET</c> and <c>POST</c>, as WHM does: scripts written for WHM use both.
    /// A state-changing <c>GET</c> is safe from cross-site request forgery here because these calls authenticate
    /// with the <c>whm</c> scheme only (whatever the app's default scheme), from the <c>Authorization</c> header,
    /// which a browser never adds on its own: a cookie sign-in is refused here. Prefer <c>POST</c> with a form body all the same:
    /// a query string ends up in access logs, and <c>api_token_get_details</c> takes a token as a parameter.
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
        group.WithMetadata(WhmRouteMetadata.Group);

        // One policy object, its scheme plus the privilege: a scheme-only [Authorize] would pull in the host's default policy
        // (and its schemes, for example a cookie whose principal carries privilege claims).
        var manageTokens = new AuthorizationPolicyBuilder(authenticationScheme)
            .AddRequirements(new PrivilegeRequirement(WhmPrivileges.ManageApiTokens))
            .Build();
        Map(group, WhmTokenApiHandlers.Create, NotWithPreviousValue(WhmTokenApiHandlers.Create, WhmTokenApiHandlers.CreateAsync)).RequireAuthorization(manageTokens);
        Map(group, WhmTokenApiHandlers.List, WhmTokenApiHandlers.ListAsync).RequireAuthorization(manageTokens);
        Map(group, WhmTokenApiHandlers.Update, NotWithPreviousValue(WhmTokenApiHandlers.Update, WhmTokenApiHandlers.UpdateAsync)).RequireAuthorization(manageTokens);
        Map(group, WhmTokenApiHandlers.Revoke, NotWithPreviousValue(WhmTokenApiHandlers.Revoke, WhmTokenApiHandlers.RevokeAsync)).RequireAuthorization(manageTokens);
        Map(group, WhmTokenApiHandlers.GetDetails, WhmTokenApiHandlers.GetDetailsAsync).RequireAuthorization(manageTokens);
        Map(group, WhmTokenApiHandlers.Rotate, NotWithPreviousValue(WhmTokenApiHandlers.Rotate, WhmTokenApiHandlers.RotateAsync)).RequireAuthorization(manageTokens);

        // Any other function, or a method other than GET and POST: WHM's envelope with result 0 (never a 404 or 405), for a
        // caller the scheme authenticates (others get the 403 refusal). A catch-all with no method constraint has the lowest
        // precedence, so the functions and the host's own routes under the prefix win for the methods they answer.
        group.Map("/{**" + WhmRouteRefusals.FunctionRouteValue + "}", UnknownFunctionAsync)
            .RequireAuthorization(AuthenticatedBy(authenticationScheme))
            .ExcludeFromDescription();
        return group;
    }

    /// <summary>
    /// Maps a WHM function of your own at <c>/json-api/<paramref name="command"/></c> that answers WHM API 1 only (see
    /// <see cref="MapWhmFunction(IEndpointRouteBuilder, string, WhmApi0Shape, Func{HttpContext, WhmApiParameters, Task{WhmApiResult}})"/>).
    /// </summary>
    public static IEndpointConventionBuilder MapWhmFunction(
        this IEndpointRouteBuilder endpoints, string command, Func<HttpContext, WhmApiParameters, Task<WhmApiResult>> handler) =>
        endpoints.MapWhmFunction(command, WhmApi0Shape.None, handler);

    /// <summary>
    /// Maps a WHM function of your own at <c>/json-api/<paramref name="command"/></c> with WHM's transport: <c>GET</c> and
    /// <c>POST</c>, the query string and a form body joined, the API 1 envelope for <c>api.version=1</c> and the
    /// <paramref name="api0"/> shape without it (WHM API 0), and WHM's refusals. It requires a caller authenticated by the
    /// <c>whm</c> scheme; add the privilege it needs: <c>app.MapWhmFunction("listaccts", WhmApi0Shape.Status, ListAsync)
    /// .RequirePrivilege("list-accts")</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapWhmFunction(
        this IEndpointRouteBuilder endpoints, string command, WhmApi0Shape api0, Func<HttpContext, WhmApiParameters, Task<WhmApiResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(command);
        ArgumentNullException.ThrowIfNull(handler);
        return endpoints.MapMethods(DefaultPrefix + "/" + command, Methods, WhmApi.Handler(command, api0, handler))
            .WithMetadata(new WhmRouteMetadata(command, api0))
            .RequireAuthorization(AuthenticatedBy(WhmTokenDefaults.AuthenticationScheme));
    }

    /// <summary>
    /// A token call that changes tokens refuses a rotated token's previous value (envelope <c>result</c> 0, nothing changed): during
    /// its grace period the old value keeps working for the host's calls, but cannot mint, change or extend credentials.
    /// </summary>
    private static Func<HttpContext, WhmApiParameters, Task<WhmApiResult>> NotWithPreviousValue(
        string command, Func<HttpContext, WhmApiParameters, Task<WhmApiResult>> handler) =>
        (context, parameters) => WhmApi.IsPreviousValue(context)
            ? Task.FromResult(WhmApiResult.Failure(command, Messages.PreviousValueCannotManage))
            : handler(context, parameters);

    private static AuthorizationPolicy AuthenticatedBy(string scheme) =>
        new AuthorizationPolicyBuilder(scheme).RequireAuthenticatedUser().Build();

    private static Task UnknownFunctionAsync(HttpContext context)
    {
        var name = WhmRouteRefusals.UnknownFunctionName(context);
        var method = context.Request.Method;
        var reason = HttpMethods.IsGet(method) || HttpMethods.IsPost(method)
            ? Messages.WhmUnknownFunction(name)
            : Messages.WhmMethodNotAnswered(method);
        return WhmApiResult.Failure(name, reason).ExecuteAsync(context);
    }

    private static IEndpointConventionBuilder Map(RouteGroupBuilder group, string command, Func<HttpContext, WhmApiParameters, Task<WhmApiResult>> handler) =>
        group.MapMethods("/" + command, Methods, WhmApi.Handler(command, handler))
            .WithMetadata(new WhmRouteMetadata(command, WhmApi0Shape.None));
}
