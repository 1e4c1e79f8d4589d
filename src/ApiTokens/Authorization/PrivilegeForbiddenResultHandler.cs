using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Authorization;

/// <summary>
/// Turns a 403 caused by a missing privilege into <c>application/problem+json</c> that names the privilege,
/// so a script author knows what to ask for.
/// </summary>
internal sealed class PrivilegeForbiddenResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
        if (!authorizeResult.Forbidden || context.Response.HasStarted || context.Response.StatusCode != StatusCodes.Status403Forbidden)
        {
            return;
        }

        var missing = authorizeResult.AuthorizationFailure?.FailedRequirements
            .OfType<PrivilegeRequirement>()
            .Select(r => r.Privilege)
            .Distinct(StringComparer.Ordinal)
            .ToArray() ?? [];
        if (missing.Length == 0)
        {
            return;
        }

        await Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: Messages.MissingPrivilegeTitle,
            detail: Messages.MissingPrivilegeDetail(missing),
            extensions: new Dictionary<string, object?> { ["missing_privileges"] = missing })
            .ExecuteAsync(context).ConfigureAwait(false);
    }
}
