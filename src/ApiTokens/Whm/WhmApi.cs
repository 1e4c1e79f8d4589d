using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Whm;

/// <summary>
/// Helpers for writing WHM API 1 functions of your own with the same parameter handling and envelope as
/// the token functions: <c>app.MapMethods("/json-api/listaccts", ["GET", "POST"], WhmApi.Handler("listaccts", ...))</c>.
/// </summary>
public static class WhmApi
{
    /// <summary>The parameter that names the API version; only <c>1</c> is accepted.</summary>
    public const string VersionParameter = "api.version";

    /// <summary>
    /// Wraps a function body that answers WHM API 1 only (API 1's envelope whatever <c>api.version</c> says, as WHM's
    /// <c>api_token_*</c> functions do): see <see cref="Handler(string, WhmApi0Shape, Func{HttpContext, WhmApiParameters, Task{WhmApiResult}})"/>.
    /// </summary>
    public static RequestDelegate Handler(string command, Func<HttpContext, WhmApiParameters, Task<WhmApiResult>> handler) =>
        Handler(command, WhmApi0Shape.None, handler);

    /// <summary>
    /// Wraps a function body: reads and joins the query string and form body, checks <c>api.version</c>, runs
    /// <paramref name="handler"/> and writes its answer: the API 1 envelope for <c>api.version=1</c>, the
    /// <paramref name="api0"/> shape for a call without <c>api.version</c> (WHM API 0; <see cref="WhmApi0Shape.None"/> answers
    /// API 1 either way). Malformed input becomes a <c>result: 0</c> answer with a reason, never a 500.
    /// </summary>
    public static RequestDelegate Handler(string command, WhmApi0Shape api0, Func<HttpContext, WhmApiParameters, Task<WhmApiResult>> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        ArgumentNullException.ThrowIfNull(handler);
        return async context =>
        {
            WhmApiResult result;
            WhmApiParameters? parameters = null;
            try
            {
                parameters = await WhmApiParameters.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested
                && ex is InvalidDataException or BadHttpRequestException or FormatException or IOException)
            {
                // parameters stays null: answered below as an unreadable body.
            }

            var version = parameters is null ? context.Request.Query[VersionParameter].ToString() : parameters.Get(VersionParameter);
            var shape = IsApi0(version) ? api0 : WhmApi0Shape.None;
            if (parameters is null)
            {
                result = WhmApiResult.Failure(command, Messages.UnreadableBody);
            }
            else if (version is not null && version.Trim() is not ("1" or "0" or ""))
            {
                result = WhmApiResult.Failure(command, Messages.UnsupportedVersion(version));
            }
            else
            {
                try
                {
                    result = await handler(context, parameters).ConfigureAwait(false);
                }
                catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested && HttpStoreFaults.IsStoreFault(ex))
                {
                    // The manager has logged the fault; the caller gets the WHM envelope, not a 500.
                    result = WhmApiResult.Failure(command, ApiTokenErrors.StoreUnavailable.Message);
                }
            }

            await result.ExecuteAsync(context, shape, StatusCodes.Status200OK).ConfigureAwait(false);
        };
    }

    /// <summary>
    /// Whether a call that gave <paramref name="version"/> as its <c>api.version</c> (null: not given) is a WHM API 0 call:
    /// not given, empty, or <c>0</c>.
    /// </summary>
    internal static bool IsApi0(string? version) => string.IsNullOrWhiteSpace(version) || version.Trim() == "0";

    /// <summary>The caller's account id (<see cref="ClaimTypes.NameIdentifier"/>), or <see langword="null"/>.</summary>
    public static string? AccountId(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.FindFirst(ClaimTypes.NameIdentifier)?.Value;
    }

    /// <summary>Whether the caller authenticated with a rotated token's previous value (<see cref="ApiTokens.Authentication.WhmClaimTypes.PreviousValue"/>).</summary>
    public static bool IsPreviousValue(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.HasClaim(ApiTokens.Authentication.WhmClaimTypes.PreviousValue, "true");
    }

    /// <summary>Who is calling, for the audit trail: the user name and the connection's remote address.</summary>
    public static ApiTokenActor Actor(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ApiTokenActor(context.User.Identity?.Name, context.Connection.RemoteIpAddress?.ToString());
    }
}
