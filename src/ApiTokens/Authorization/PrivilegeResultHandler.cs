using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Authorization;

/// <summary>
/// Decorates the host's <see cref="IAuthorizationMiddlewareResultHandler"/> (or ASP.NET's
/// <see cref="AuthorizationMiddlewareResultHandler"/>), which handles every result. On privilege endpoints it
/// <list type="bullet">
/// <item>picks the scheme that fits the request when the policies name both the host's default scheme and the whm scheme
/// (<see cref="PrivilegeSchemes.PicksPerRequest"/>, a cookie app): a token request (<see cref="PrivilegeSchemes.IsTokenRequest"/>:
/// <c>Authorization: whm …</c>, or a credential a whm handler read another way) is challenged and
/// forbidden by the whm scheme (401 with <c>WWW-Authenticate: whm</c>, or 403), any other request is challenged by the host's
/// default scheme as usual (a cookie scheme redirects to its login page), and a missing privilege is a 403 by the whm
/// scheme rather than the cookie's access-denied redirect: privilege endpoints are API endpoints;</item>
/// <item>writes an <c>application/problem+json</c> body naming the missing privileges when the failure is a privilege failure
/// and the inner handler answered a 403 without writing a response.</item>
/// </list>
/// A route with refusals of its own (<see cref="IRouteRefusals"/>: WHM's routes) gets those instead, on every endpoint policy.
/// </summary>
internal sealed class PrivilegeResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly IAuthorizationMiddlewareResultHandler _inner;
    private readonly PrivilegeSchemes _schemes;
    private readonly IRouteRefusals? _routeRefusals;

    public PrivilegeResultHandler(IAuthorizationMiddlewareResultHandler inner, PrivilegeSchemes schemes, IRouteRefusals? routeRefusals = null)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _schemes = schemes ?? throw new ArgumentNullException(nameof(schemes));
        _routeRefusals = routeRefusals;
    }

    /// <summary>The handler this one wraps.</summary>
    /// <inheritdoc />
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (!authorizeResult.Succeeded && _routeRefusals is not null
            && await _routeRefusals.TryRefuseAsync(context, authorizeResult).ConfigureAwait(false))
        {
            return;
        }

        if (authorizeResult.Succeeded || !HasPrivilegeRequirement(policy))
        {
            await _inner.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
            return;
        }

        var missing = MissingPrivileges(authorizeResult);
        if (_schemes.PicksPerRequest && NamesPrivilegeSchemes(policy))
        {
            (policy, authorizeResult) = PickScheme(context, policy, authorizeResult, missing.Length > 0);
        }

        await _inner.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
        if (!authorizeResult.Forbidden || missing.Length == 0 || context.Response.HasStarted
            || context.Response.StatusCode != StatusCodes.Status403Forbidden || context.Response.ContentType is not null)
        {
            return;
        }

        await Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: Messages.MissingPrivilegeTitle,
            detail: _schemes.HasTokenIdentity(context.User) ? Messages.MissingPrivilegeDetail(missing)
                : SignedInAccountPrivileges.RefusedForAntiforgery(context) ? Messages.MissingAntiforgeryDetail(missing)
                : Messages.MissingAccountPrivilegeDetail(missing),
            extensions: new Dictionary<string, object?> { ["missing_privileges"] = missing })
            .ExecuteAsync(context).ConfigureAwait(false);
    }

    /// <summary>
    /// The policy names the host's default scheme and the whm scheme(s) so both authenticate; the inner handler challenges or
    /// forbids with the policy's schemes, so it gets a copy naming only the one that fits this request.
    /// </summary>
    private (AuthorizationPolicy, PolicyAuthorizationResult) PickScheme(
        HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result, bool privilegeFailure)
    {
        var whm = _schemes.Whm;
        if (_schemes.IsTokenRequest(context))
        {
            // A bad token next to a valid cookie: the token did not authenticate, so the answer is the whm challenge.
            if (result.Forbidden && !_schemes.HasTokenIdentity(context.User))
            {
                result = PolicyAuthorizationResult.Challenge();
            }

            return (WithSchemes(policy, whm), result);
        }

        if (result.Forbidden && privilegeFailure)
        {
            return (WithSchemes(policy, whm), result);
        }

        // The host's own scheme(s), as for any [Authorize]: without the schemes the privilege policy added, ASP.NET uses the
        // default challenge and forbid schemes.
        var added = _schemes.PolicySchemes;
        return (WithSchemes(policy, policy.AuthenticationSchemes.Where(s => !added.Contains(s, StringComparer.Ordinal)).ToArray()), result);
    }

    /// <summary>
    /// Whether <paramref name="policy"/> holds the schemes the privilege policies name (it combines one of them). A policy of
    /// the host's own, or the token API's (the whm scheme alone), is left as it is.
    /// </summary>
    private bool NamesPrivilegeSchemes(AuthorizationPolicy policy)
    {
        foreach (var scheme in _schemes.PolicySchemes)
        {
            if (!policy.AuthenticationSchemes.Contains(scheme, StringComparer.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static AuthorizationPolicy WithSchemes(AuthorizationPolicy policy, IEnumerable<string> schemes) => new(policy.Requirements, schemes);

    private static bool HasPrivilegeRequirement(AuthorizationPolicy policy)
    {
        foreach (var requirement in policy.Requirements)
        {
            if (requirement is PrivilegeRequirement)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The privileges whose requirements failed in <paramref name="result"/>, each once.</summary>
    internal static string[] MissingPrivileges(PolicyAuthorizationResult result) =>
        result.AuthorizationFailure?.FailedRequirements
            .OfType<PrivilegeRequirement>()
            .Select(r => r.Privilege)
            .Distinct(StringComparer.Ordinal)
            .ToArray() ?? [];
}
