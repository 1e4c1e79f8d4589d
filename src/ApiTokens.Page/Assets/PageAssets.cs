using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Page;

/// <summary>
/// The page's files, embedded in this assembly as <c>ApiTokens.Page.Assets.{file}</c> (see the project file): read once, served
/// with a content hash as ETag so browsers revalidate cheaply.
/// </summary>
internal static class PageAssets
{
    private const string ResourcePrefix = "ApiTokens.Page.Assets.";

    private static readonly ConcurrentDictionary<string, (byte[] Bytes, string ETag)> Cache = new(StringComparer.Ordinal);

    /// <summary>The bytes and ETag of an embedded file.</summary>
    public static (byte[] Bytes, string ETag) Get(string name) => Cache.GetOrAdd(name, static n =>
    {
        using var stream = typeof(PageAssets).Assembly.GetManifestResourceStream(ResourcePrefix + n)
            ?? throw new InvalidOperationException(PageMessages.MissingAsset(n));
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        return (bytes, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"");
    });

    /// <summary>A request handler that serves the embedded <paramref name="name"/> (the script or the style).</summary>
    public static RequestDelegate Serve(string name, string contentType) => context => ServeAsync(context, name, contentType);

    private static async Task ServeAsync(HttpContext context, string name, string contentType)
    {
        var (bytes, etag) = Get(name);
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
}
