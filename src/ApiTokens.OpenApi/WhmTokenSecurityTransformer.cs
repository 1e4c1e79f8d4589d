using System.Text.Json.Nodes;
using ApiTokens.Authentication;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ApiTokens.OpenApi;

/// <summary>
/// The document half declares the <c>whm</c> security scheme; the operation half marks each privilege endpoint with it.
/// </summary>
/// <remarks>
/// The scheme is declared as <c>type: apiKey, in: header, name: Authorization</c>, not <c>type: http, scheme: whm</c>: OpenAPI
/// tools (Swagger UI, Scalar, Postman, client generators) only know the <c>basic</c> and <c>bearer</c> HTTP schemes and show
/// nothing usable for another name, while every one of them sends an API key header as typed, so a user enters
/// <c>whm USER:TOKEN</c> once and every call carries it.
/// </remarks>
internal sealed class WhmTokenSecurityTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    /// <summary>The id of the scheme in <c>components.securitySchemes</c>, the name of the authentication scheme.</summary>
    public const string SchemeId = WhmTokenDefaults.AuthenticationScheme;

    /// <summary>The operation extension that lists the privileges an endpoint requires.</summary>
    public const string PrivilegesExtension = "x-whm-privileges";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(context);
        RequestDelegateEndpoints.AddTo(document, context.DocumentName, context.ApplicationServices);
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "Authorization",
            Description = OpenApiMessages.SchemeDescription,
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var privileges = EndpointPrivileges.Of(context.Description.ActionDescriptor.EndpointMetadata);
        if (privileges.Count == 0)
        {
            return Task.CompletedTask;
        }

        Mark(operation, privileges, context.Document);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Marks an operation that requires <paramref name="privileges"/>: a security requirement on the <c>whm</c> scheme, the
    /// privileges in <see cref="PrivilegesExtension"/> and a line of its description, and the 401 and 403 responses.
    /// </summary>
    internal static void Mark(OpenApiOperation operation, IReadOnlyList<string> privileges, OpenApiDocument? document)
    {
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, document)] = [] });

        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal);
        operation.Extensions[PrivilegesExtension] = new JsonNodeExtension(new JsonArray([.. privileges.Select(p => JsonValue.Create(p))]));

        var requires = OpenApiMessages.Requires(privileges);
        operation.Description = string.IsNullOrEmpty(operation.Description) ? requires : operation.Description + "\n\n" + requires;

        operation.Responses ??= [];
        operation.Responses.TryAdd("401", new OpenApiResponse { Description = OpenApiMessages.Unauthorized });
        operation.Responses.TryAdd("403", new OpenApiResponse { Description = OpenApiMessages.Forbidden });
    }
}
