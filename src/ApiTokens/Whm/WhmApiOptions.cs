namespace ApiTokens.Whm;

/// <summary>
/// How WHM's routes (<c>/json-api/…</c> mapped by <c>MapWhmTokenApi</c> and <c>MapWhmFunction</c>) answer a refused request.
/// Configure with <c>services.Configure&lt;WhmApiOptions&gt;(o =&gt; …)</c>.
/// </summary>
public sealed class WhmApiOptions
{
    /// <summary>
    /// <see langword="false"/> (the default): WHM's answers, which WHM clients key on. A refused credential (none, unknown user,
    /// wrong secret, revoked, expired, suspended owner, address not whitelisted) is HTTP 403 with <c>Content-Type: text/plain</c>
    /// and cpsrvd's <c>{"cpanelresult":{…,"error":"Access denied",…}}</c> body, the same for every reason; a missing privilege
    /// is HTTP 403 with the WHM envelope (<c>result</c> 0) naming it, or <c>{"status":0,"statusmsg":"Permission Denied"}</c>
    /// for a WHM API 0 call. <see langword="true"/>: ASP.NET's answers, as on the host's other endpoints: 401 with
    /// <c>WWW-Authenticate: whm</c>, and a 403 <c>application/problem+json</c> naming the missing privileges.
    /// </summary>
    public bool UseAspNetCoreRefusals { get; set; }
}
