using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Authorization;

/// <summary>
/// At start-up, once the pipeline is built, checks that every privilege named by an endpoint
/// (<c>RequirePrivilege</c>) is in the catalogue, so a typo stops the app with a clear message
/// instead of failing on the first request.
/// </summary>
internal sealed class PrivilegeEndpointValidator : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        var services = app.ApplicationServices;
        var catalog = services.GetRequiredService<PrivilegeCatalog>();
        var sources = services.GetServices<EndpointDataSource>();
        var required = sources
            .SelectMany(s => s.Endpoints)
            .SelectMany(e => e.Metadata.OfType<RequirePrivilegeAttribute>().Select(a => (Endpoint: e.DisplayName, a.Privilege)))
            .ToList();
        var unknown = required
            .Where(x => !catalog.Contains(x.Privilege))
            .Distinct()
            .ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(Messages.UnknownEndpointPrivileges(unknown.Select(u => $"{u.Endpoint} requires '{u.Privilege}'")));
        }

        // RequirePrivilege names a whm:<privilege> policy; a policy provider registered after ours must still answer it.
        if (required.Count > 0)
        {
            var provider = services.GetRequiredService<IAuthorizationPolicyProvider>();
            var name = PrivilegePolicy.NameFor(required[0].Privilege);
            var policy = provider.GetPolicyAsync(name).GetAwaiter().GetResult();
            if (policy is null || !policy.Requirements.OfType<PrivilegeRequirement>().Any())
            {
                throw new InvalidOperationException(Messages.PolicyProviderDoesNotAnswer(provider.GetType().FullName ?? provider.GetType().Name, name));
            }
        }
    };
}
