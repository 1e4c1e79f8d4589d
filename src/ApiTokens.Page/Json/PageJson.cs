using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Page;

/// <summary>
/// How the page's JSON endpoints read a body and answer: every answer is <c>Cache-Control: no-store</c>, every error is
/// <c>{"error":{"code","message","field"}}</c> with a status that says what kind of error it is.
/// </summary>
internal static class PageJson
{
    /// <summary>An answer with <paramref name="status"/> and <paramref name="value"/> as JSON.</summary>
    public static IResult Result<T>(int status, T value, JsonTypeInfo<T> typeInfo) => new JsonAnswer<T>(status, value, typeInfo);

    /// <summary>The page's own errors (not signed in, not allowed, antiforgery, bad body).</summary>
    public static IResult Error(int status, string code, string message) =>
        Result(status, new ErrorEnvelope(new ErrorView(code, message, null)), PageJsonContext.Default.ErrorEnvelope);

    /// <summary>A token rule or store error from <see cref="ApiTokenManager"/>, with the status that fits it.</summary>
    public static IResult Error(ApiTokenError error)
    {
        var status = error.Code switch
        {
            ApiTokenErrorCode.DuplicateName or ApiTokenErrorCode.ConcurrencyFailure or ApiTokenErrorCode.TokenExpired => StatusCodes.Status409Conflict,
            ApiTokenErrorCode.RateLimited => StatusCodes.Status429TooManyRequests,
            ApiTokenErrorCode.TokenNotFound => StatusCodes.Status404NotFound,
            ApiTokenErrorCode.AccountNotFound or ApiTokenErrorCode.AccountSuspended => StatusCodes.Status403Forbidden,
            ApiTokenErrorCode.StoreUnavailable or ApiTokenErrorCode.Busy => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status400BadRequest,
        };
        return Result(status, new ErrorEnvelope(ErrorView.From(error)), PageJsonContext.Default.ErrorEnvelope);
    }

    /// <summary>
    /// Reads the request body as <typeparamref name="T"/>; when it cannot, <see cref="BodyRead{T}.Failure"/> is the answer to give
    /// (415 not JSON, 400 invalid JSON, or the server's status for an unreadable body such as one too large).
    /// </summary>
    public static async Task<BodyRead<T>> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (!context.Request.HasJsonContentType())
        {
            return new(null, Error(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", PageMessages.UnsupportedMediaType));
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync(context.Request.Body, typeInfo, context.RequestAborted).ConfigureAwait(false);
            if (body is not null)
            {
                return new(body, null);
            }
        }
        catch (JsonException)
        {
        }
        catch (BadHttpRequestException ex)
        {
            return new(null, Error(ex.StatusCode, "bad_request", PageMessages.UnreadableBody));
        }

        return new(null, Error(StatusCodes.Status400BadRequest, "invalid_json", PageMessages.InvalidJson));
    }

    private sealed class JsonAnswer<T>(int status, T value, JsonTypeInfo<T> typeInfo) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.Headers.CacheControl = "no-store";
            return httpContext.Response.WriteAsJsonAsync(value, typeInfo, contentType: null, httpContext.RequestAborted);
        }
    }
}
