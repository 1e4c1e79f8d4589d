using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Authorization;

/// <summary>
/// Answers a refused request on routes that have answers of their own (WHM's routes under <c>/json-api/</c>, written by the
/// Whm layer), before <see cref="PrivilegeResultHandler"/> applies ASP.NET's challenge and forbid. Registered at most once.
/// </summary>
internal interface IRouteRefusals
{
    /// <summary>
    /// Writes the refusal and returns <see langword="true"/> when the endpoint is such a route; otherwise writes nothing and
    /// returns <see langword="false"/>. <paramref name="result"/> did not succeed.
    /// </summary>
    Task<bool> TryRefuseAsync(HttpContext context, PolicyAuthorizationResult result);
}
