using ApiTokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the leak revocation endpoint, where anyone who found a token (a secret scanner, a person) reports it.</summary>
public static class LeakedTokenRevocationEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST <paramref name="pattern"/></c>: the body is a JSON array of token values (<c>Content-Type: application/json</c>),
    /// from anyone, without authentication (the endpoint allows anonymous callers whatever the app's fallback policy). Each value
    /// that is a live token of any account is revoked at once, on every node, audited as
    /// <see cref="ApiTokenAuditAction.RevokedAsLeaked"/> and passed to every <see cref="IApiTokenLeakHandler"/>; a rotated
    /// token's previous value ends its grace period instead. The answer never says which values were live: a well-formed report
    /// always gets <c>202</c> with <c>{"received": N}</c>, N the number of values sent. Rate-limited per address and overall
    /// (429 with <c>Retry-After</c>); its Argon2 checks are bounded per address and overall
    /// (<see cref="LeakedTokenRevocationOptions.MaxFailedChecksPerAddress"/>, <see cref="LeakedTokenRevocationOptions.MaxChecksPerWindow"/>:
    /// a report not fully checked gets 503 with <c>Retry-After</c>); a malformed report gets a 400 problem and revokes nothing. At
    /// start-up a store that does not implement <see cref="IApiTokenStore.FindAllBySelectorAsync"/> is named in a warning (1705).
    /// See docs/leaked-tokens.md.
    /// </summary>
    /// <remarks>
    /// A value is checked for the token format (prefix and checksum included, <c>ApiTokens:Format</c>) before any lookup, so values
    /// that are not tokens cost no store read and no Argon2 run; give tokens a prefix and a checksum so secret scanners find them.
    /// </remarks>
    public static IEndpointConventionBuilder MapLeakedTokenRevocation(this IEndpointRouteBuilder endpoints, string pattern) =>
        endpoints.MapLeakedTokenRevocation(pattern, null);

    /// <summary>Maps the leak revocation endpoint (see <see cref="MapLeakedTokenRevocation(IEndpointRouteBuilder, string)"/>) with its limits set by <paramref name="configure"/>.</summary>
    /// <exception cref="ArgumentException">A limit is out of range; the message names it.</exception>
    public static IEndpointConventionBuilder MapLeakedTokenRevocation(
        this IEndpointRouteBuilder endpoints, string pattern, Action<LeakedTokenRevocationOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var options = new LeakedTokenRevocationOptions();
        configure?.Invoke(options);
        var errors = options.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(configure));
        }

        // A copy: changing the options object after mapping changes nothing.
        var limits = new LeakedTokenRevocationOptions
        {
            MaxValues = options.MaxValues,
            MaxBodySize = options.MaxBodySize,
            PermitsPerAddress = options.PermitsPerAddress,
            PermitsPerWindow = options.PermitsPerWindow,
            Window = options.Window,
            UnavailableRetryAfter = options.UnavailableRetryAfter,
            ActorName = options.ActorName,
            MaxFailedChecksPerAddress = options.MaxFailedChecksPerAddress,
            MaxChecksPerWindow = options.MaxChecksPerWindow,
            RecordReporterAddress = options.RecordReporterAddress,
        };
        var services = endpoints.ServiceProvider;
        var endpoint = new LeakedTokenRevocationEndpoint(
            limits, services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance, services.GetService<TimeProvider>() ?? TimeProvider.System);
        if (services.GetService<IHostApplicationLifetime>() is { } lifetime)
        {
            // Said at start-up, not at the first report: a store that cannot find leaks is found before one is reported.
            lifetime.ApplicationStarted.Register(() => endpoint.CheckStore(services));
            lifetime.ApplicationStopped.Register(endpoint.Dispose);
        }

        return endpoints.MapPost(pattern, new RequestDelegate(endpoint.HandleAsync))
            .AllowAnonymous()
            .WithDisplayName("Leaked API token revocation");
    }
}
