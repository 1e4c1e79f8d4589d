using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApiTokens.Page;

/// <summary>
/// The page itself (<c>index.html</c>) or the "not allowed" page (<c>not-allowed.html</c>): the embedded template with its
/// <c>{{placeholders}}</c> filled in (HTML-encoded), sent with a strict content security policy and never cached.
/// </summary>
internal sealed class PageDocument : IResult, IStatusCodeHttpResult
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private readonly int _status;
    private readonly string _template;
    private readonly Dictionary<string, string> _values;

    private PageDocument(int status, string template, Dictionary<string, string> values)
    {
        _status = status;
        _template = template;
        _values = values;
    }

    public int? StatusCode => _status;

    /// <summary>The user shown in the page's header: the account's user name, else the sign-in's user name claim.</summary>
    public string User => _values["user"];

    /// <summary>The page for an allowed caller (200).</summary>
    public static PageDocument Allowed(HttpContext context, string prefix, PageCaller caller) =>
        new(StatusCodes.Status200OK, "index.html", Values(context, prefix, caller));

    /// <summary>The "not allowed" page with the reason (403).</summary>
    public static PageDocument NotAllowed(HttpContext context, string prefix, PageCaller caller) =>
        new(StatusCodes.Status403Forbidden, "not-allowed.html", Values(context, prefix, caller));

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var html = Encoding.UTF8.GetString(PageAssets.Get(_template).Bytes);
        foreach (var (key, value) in _values)
        {
            html = html.Replace("{{" + key + "}}", HtmlEncoder.Default.Encode(value), StringComparison.Ordinal);
        }

        var bytes = Encoding.UTF8.GetBytes(html);
        var response = httpContext.Response;
        response.StatusCode = _status;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = bytes.Length;
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        await response.Body.WriteAsync(bytes, httpContext.RequestAborted).ConfigureAwait(false);
    }

    private static Dictionary<string, string> Values(HttpContext context, string prefix, PageCaller caller)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<ApiTokensPageOptions>>().Value;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["base"] = context.Request.PathBase.Add(prefix).Value ?? prefix,
            ["title"] = options.Title,
            ["user"] = caller.UserName ?? caller.Principal?.FindFirst(options.UserNameClaimType)?.Value ?? string.Empty,
            ["reason"] = caller.Denial ?? string.Empty,
            ["nameMaxLength"] = TokenNames.MaxLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
