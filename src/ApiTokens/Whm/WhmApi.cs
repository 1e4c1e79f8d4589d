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
    /// Wraps a function body: reads and merges the query string and form, checks <c>api.version</c>, runs
    /// <paramref name="handler"/> and writes its envelope. Malformed input becomes a <c>result: 0</c>
    /// answer with a reason, never a 500.
    /// </summary>
    public static RequestDelegate Handler(string command, Func<HttpContext, WhmApiParameters, Task<WhmApiResult>> handler)
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

            if (parameters is null)
            {
                result = WhmApiResult.Failure(command, Messages.UnreadableBody);
            }
            else if (parameters.Get(VersionParameter) is { } version && version.Trim() is not ("1" or ""))
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

            await result.ExecuteAsync(context).ConfigureAwait(false);
        };
    }

    /// <summary>The caller's account id (<see cref="ClaimTypes.NameIdentifier"/>), or <see langword="null"/>.</summary>
    public static string? AccountId(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.FindFirst(ClaimTypes.NameIdentifier)?.Value;
    }

    /// <summary>Who is calling, for the audit trail: the user name and the connection's remote address.</summary>
    public static ApiTokenActor Actor(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ApiTokenActor(context.User.Identity?.Name, context.Connection.RemoteIpAddress?.ToString());
    }
}
