using ApiTokens.OpenApi;
using Microsoft.AspNetCore.OpenApi;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Describes the <c>whm</c> token scheme in an OpenAPI document made by <c>Microsoft.AspNetCore.OpenApi</c>:
/// <c>builder.Services.AddOpenApi(options =&gt; options.AddWhmTokenSecurity())</c>.
/// </summary>
public static class WhmTokenOpenApiOptionsExtensions
{
    /// <summary>
    /// Declares the <c>whm</c> security scheme (an API key in the <c>Authorization</c> header, sent as
    /// <c>whm USER:TOKEN</c>) and marks every endpoint that requires a privilege (<c>.RequirePrivilege(...)</c>,
    /// <c>[RequirePrivilege]</c>, a policy with a privilege requirement such as <c>MapWhmTokenApi</c>'s) with a security
    /// requirement on it, its privileges in an <c>x-whm-privileges</c> extension and in its description, and the 401 and 403
    /// responses. Endpoints that allow anonymous access or require no privilege are left as they are.
    /// </summary>
    /// <param name="options">The options of one OpenAPI document.</param>
    /// <returns>The options, for chaining.</returns>
    public static OpenApiOptions AddWhmTokenSecurity(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var transformer = new WhmTokenSecurityTransformer();
        options.AddDocumentTransformer(transformer);
        options.AddOperationTransformer(transformer);
        return options;
    }
}
