using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// The registration check <c>AddApiTokens</c> runs when the host starts, in every environment: a store and an account provider
/// must be registered, or the app stops with a message naming the call to add. It runs as options validation with
/// <c>ValidateOnStart</c>, so <c>IHost.StartAsync</c> runs it before any hosted service or the web server starts, in web apps
/// and generic hosts alike. It asks the built provider (<see cref="IServiceProviderIsService"/>), so registrations made after
/// <c>AddApiTokens</c> count, and resolves nothing: scoped stores and providers are never created from the root.
/// </summary>
internal sealed class ApiTokensStartupCheck : IValidateOptions<ApiTokensStartupCheck.Marker>
{
    private readonly IServiceProvider _services;

    public ApiTokensStartupCheck(IServiceProvider services) => _services = services;

    public ValidateOptionsResult Validate(string? name, Marker options)
    {
        var registered = _services.GetService<IServiceProviderIsService>();
        if (registered is null)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        if (!registered.IsService(typeof(IApiTokenStore)))
        {
            errors.Add(Messages.NoStore);
        }

        if (!registered.IsService(typeof(IApiTokenAccountProvider)))
        {
            errors.Add(Messages.NoAccountProvider);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The options type the check hangs on; it holds nothing and nothing else reads it.</summary>
    internal sealed class Marker
    {
    }

    /// <summary>What the manager needs, with the start-up message when it is missing (for hosts that build but never start, such as a CLI).</summary>
    internal static T Require<T>(IServiceProvider services, string message)
        where T : notnull =>
        services.GetService<T>() ?? throw new InvalidOperationException(message);
}
