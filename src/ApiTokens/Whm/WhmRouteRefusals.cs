using ApiTokens.Authentication;
using ApiTokens.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ApiTokens.Whm;

/// <summary>
/// WHM's refusals on WHM routes (endpoints marked with <see cref="WhmRouteMetadata"/>), unless
/// <see cref="WhmApiOptions.UseAspNetCoreRefusals"/>: a refused or missing credential is cpsrvd's 403 "Access denied", the same
/// bytes for every reason (no oracle); an authenticated caller without the call's privilege gets a 403 WHM answer that names it.
/// A credential that could not be checked is not refused: a busy node or an unreachable store answers <c>503</c>, a client blocked by
/// <c>ApiTokens:ClientLimits</c> <c>429</c>, both with <c>Retry-After</c> and a WHM answer (<c>result</c> 0 and the reason, or API 0's
/// <c>status</c> 0) that says to try again: cpsrvd's 403 keeps meaning "this credential is not valid".
/// </summary>
internal sealed class WhmRouteRefusals(PrivilegeSchemes schemes, IOptionsMonitor<WhmApiOptions> options) : IRouteRefusals
{
    /// <summary>cpsrvd's answer to a refused credential, byte for byte.</summary>
    internal static readonly byte[] AccessDeniedBody =
        """{"cpanelresult":{"apiversion":"2","error":"Access denied","data":{"reason":"Access denied","result":"0"},"type":"text"}}"""u8.ToArray();

    /// <summary>The route value that holds the unknown function's name on the group's catch-all route.</summary>
    internal const string FunctionRouteValue = "function";

    /// <inheritdoc />
    public async Task<bool> TryRefuseAsync(HttpContext context, PolicyAuthorizationResult result)
    {
        if (WhmRouteMetadata.Find(context.GetEndpoint()) is not { } route || options.CurrentValue.UseAspNetCoreRefusals
            || context.Response.HasStarted)
        {
            return false;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status403Forbidden;
        response.Headers.CacheControl = "no-store";

        // Not authenticated, or a whm credential that did not authenticate next to another scheme's sign-in: a refused credential,
        // unless it could not be checked at all.
        if (result.Challenged || (schemes.IsTokenRequest(context) && !schemes.HasTokenIdentity(context.User)))
        {
            if (WhmFailureNote.Find(context) is { IsUnavailable: true } note)
            {
                note.ApplyTo(response);
                var api0 = route.Api0 != WhmApi0Shape.None && WhmApi.IsApi0(await ApiVersionAsync(context).ConfigureAwait(false));
                await WhmApiResult.Failure(route.Command ?? UnknownFunctionName(context), note.Detail)
                    .ExecuteAsync(context, api0 ? WhmApi0Shape.Status : WhmApi0Shape.None, note.StatusCode).ConfigureAwait(false);
                return true;
            }

            response.ContentType = "text/plain";
            response.ContentLength = AccessDeniedBody.Length;
            await response.Body.WriteAsync(AccessDeniedBody, context.RequestAborted).ConfigureAwait(false);
            return true;
        }

        var missing = PrivilegeResultHandler.MissingPrivileges(result);
        var command = route.Command ?? UnknownFunctionName(context);
        if (route.Api0 != WhmApi0Shape.None && WhmApi.IsApi0(await ApiVersionAsync(context).ConfigureAwait(false)))
        {
            // WHM API 0 says "Permission Denied" whatever the function's own shape.
            await WhmApiResult.Failure(command, Messages.WhmApi0PermissionDenied)
                .ExecuteAsync(context, WhmApi0Shape.Status, StatusCodes.Status403Forbidden).ConfigureAwait(false);
            return true;
        }

        var reason = missing.Length > 0 ? Messages.WhmMissingPrivileges(missing) : Messages.WhmAccessDenied;
        await WhmApiResult.Failure(command, reason).ExecuteAsync(context, WhmApi0Shape.None, StatusCodes.Status403Forbidden).ConfigureAwait(false);
        return true;
    }

    /// <summary>The function named by the catch-all route, or the path's last segment.</summary>
    internal static string UnknownFunctionName(HttpContext context)
    {
        var name = context.Request.RouteValues[FunctionRouteValue] as string;
        if (string.IsNullOrEmpty(name))
        {
            var path = context.Request.Path.Value ?? string.Empty;
            name = path[(path.LastIndexOf('/') + 1)..];
        }

        return string.IsNullOrEmpty(name) ? "json-api" : Messages.Shorten(name);
    }

    /// <summary><c>api.version</c> from the query string, else from a form body (the handler has not read it yet); null when absent.</summary>
    private static async Task<string?> ApiVersionAsync(HttpContext context)
    {
        var request = context.Request;
        // The first value, query string before form body, as WhmApiParameters.Get reads it for the handler.
        if (request.Query.TryGetValue(WhmApi.VersionParameter, out var fromQuery) && fromQuery.Count > 0)
        {
            return fromQuery[0];
        }

        if (!request.HasFormContentType)
        {
            return null;
        }

        try
        {
            var form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            return form.TryGetValue(WhmApi.VersionParameter, out var fromForm) && fromForm.Count > 0 ? fromForm[0] : null;
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException or FormatException)
        {
            return null; // an unreadable body is refused all the same; the API 0 answer is as good as any
        }
    }
}
