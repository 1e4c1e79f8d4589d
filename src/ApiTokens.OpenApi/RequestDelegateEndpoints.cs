using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace ApiTokens.OpenApi;

/// <summary>
/// Privilege endpoints mapped with a <see cref="RequestDelegate"/> (<c>WhmApi.Handler(...)</c>, <c>MapWhmTokenApi</c>): the API
/// explorer leaves them out, as it only describes endpoints whose handler method it can read, so they are added here with their
/// route, methods, path parameters and privileges (their query and form parameters are the handler's to read and are not known).
/// <c>OpenApiOptions.ShouldInclude</c> cannot apply to them (it filters API descriptions, which they have none of): leave one out
/// with <c>.ExcludeFromDescription()</c>, or put it in another document with <c>.WithGroupName(...)</c>.
/// </summary>
internal static class RequestDelegateEndpoints
{
    public const string OkDescription = "OK";

    /// <summary>Adds every such endpoint of this document (its group name, if any, is the document's) that is not in it yet.</summary>
    public static void AddTo(OpenApiDocument document, string documentName, IServiceProvider services)
    {
        if (services.GetService<EndpointDataSource>() is not { } endpoints)
        {
            return;
        }

        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            var metadata = endpoint.Metadata;
            if (metadata.GetMetadata<MethodInfo>() is not null // the API explorer's to describe (or to leave out, on purpose)
                || metadata.Any(static m => m.GetType().FullName?.StartsWith("Microsoft.AspNetCore.Mvc.", StringComparison.Ordinal) == true
                    && m.GetType().Name.EndsWith("ActionDescriptor", StringComparison.Ordinal)) // MVC actions: likewise
                || metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true }
                || metadata.GetMetadata<IEndpointGroupNameMetadata>() is { } group && !string.Equals(group.EndpointGroupName, documentName, StringComparison.Ordinal)
                || metadata.GetMetadata<IHttpMethodMetadata>() is not { HttpMethods.Count: > 0 } methods)
            {
                continue;
            }

            var privileges = EndpointPrivileges.Of(metadata);
            if (privileges.Count == 0)
            {
                continue;
            }

            var path = PathOf(endpoint.RoutePattern);
            document.Paths ??= [];
            if (!document.Paths.TryGetValue(path, out var item))
            {
                item = new OpenApiPathItem();
                document.Paths[path] = item;
            }

            if (item is not OpenApiPathItem pathItem)
            {
                continue; // a reference to a shared path item: not ours to change
            }

            foreach (var method in methods.HttpMethods.Select(m => HttpMethod.Parse(m)))
            {
                pathItem.Operations ??= [];
                if (pathItem.Operations.ContainsKey(method))
                {
                    continue;
                }

                var operation = new OpenApiOperation
                {
                    Parameters = [.. ParametersOf(endpoint.RoutePattern)],
                    Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = OkDescription } },
                };
                WhmTokenSecurityTransformer.Mark(operation, privileges, document);
                pathItem.Operations[method] = operation;
            }
        }
    }

    /// <summary>The OpenAPI path: literals as they are, each parameter as <c>{name}</c> (constraints and defaults left out).</summary>
    private static string PathOf(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            _ => string.Empty,
        }))));

    private static IEnumerable<IOpenApiParameter> ParametersOf(RoutePattern pattern) =>
        pattern.Parameters.Select(p => new OpenApiParameter
        {
            Name = p.Name,
            In = ParameterLocation.Path,
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
}
