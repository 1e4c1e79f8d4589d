using ApiTokens.Privileges;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ApiTokens.Authorization;

/// <summary>
/// At start-up, checks that every privilege named by an endpoint (<c>RequirePrivilege</c>) is in the catalogue,
/// so a typo stops the app with a clear message instead of failing on the first request.
/// </summary>
internal sealed class PrivilegeEndpointValidator(IServiceProvider services, PrivilegeCatalog catalog) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var source = services.GetService<EndpointDataSource>();
        if (source is null)
        {
            return Task.CompletedTask;
        }

        var unknown = source.Endpoints
            .SelectMany(e => e.Metadata.OfType<RequirePrivilegeAttribute>().Select(a => (Endpoint: e.DisplayName, a.Privilege)))
            .Where(x => !catalog.Contains(x.Privilege))
            .ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                "These endpoints require privileges that are not in the privilege catalogue: " +
                string.Join("; ", unknown.Select(u => $"{u.Endpoint} requires '{u.Privilege}'")) +
                ". Fix the names, or register them in ApiTokenOptions.AdditionalPrivileges.");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
