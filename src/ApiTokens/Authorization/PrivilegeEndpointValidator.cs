using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiTokens.Authorization;

/// <summary>
/// At start-up, once the pipeline is built, checks that every privilege named by an endpoint (<c>RequirePrivilege</c>, or any
/// <see cref="IAuthorizeData.Policy"/> starting with <see cref="PrivilegePolicy.Prefix"/>, such as
/// <c>[Authorize(Policy = "whm:list-accts")]</c>) is in the catalogue, so a typo stops the app with a clear message instead of failing on the first request. It also checks that
/// the app's policy provider answers the privilege policies: whatever the registration order, it does unless a provider
/// registered after <c>AddWhmTokens</c> answers only its own names.
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
            .SelectMany(e => e.Metadata.OfType<IAuthorizeData>()
                .Select(a => (Endpoint: e.DisplayName, Named: PrivilegePolicy.TryGetPrivilege(a.Policy, out var privilege), Privilege: privilege, PolicyName: a is RequirePrivilegeAttribute ? null : a.Policy))
                .Where(x => x.Named)
                .Select(x => (x.Endpoint, x.Privilege, x.PolicyName)))
            .ToList();
        var unknown = required
            .Where(x => !catalog.Contains(x.Privilege))
            .Distinct()
            .ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(Messages.UnknownEndpointPrivileges(unknown.Select(u => Messages.EndpointRequiresPrivilege(u.Endpoint, u.Privilege, u.PolicyName))));
        }

        if (required.Count == 0)
        {
            return;
        }

        var provider = services.GetRequiredService<IAuthorizationPolicyProvider>();
        var name = PrivilegePolicy.NameFor(required[0].Privilege);
        var policy = provider.GetPolicyAsync(name).GetAwaiter().GetResult();
        if (policy is null || !policy.Requirements.OfType<PrivilegeRequirement>().Any())
        {
            throw new InvalidOperationException(Messages.PolicyProviderIgnoresPrivilegePolicies(provider.GetType().FullName ?? provider.GetType().Name, name));
        }

        // In a scope: the host's result handler may be scoped (resolving it from the root provider fails, or keeps it forever).
        using var scope = services.CreateScope();
        var handler = scope.ServiceProvider.GetService<IAuthorizationMiddlewareResultHandler>();
        if (handler is not null and not PrivilegeResultHandler)
        {
            Log.ResultHandlerRegisteredAfter(
                services.GetRequiredService<ILoggerFactory>().CreateLogger<PrivilegeEndpointValidator>(), handler.GetType().FullName ?? handler.GetType().Name);
        }
    };
}
