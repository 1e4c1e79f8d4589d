using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApiTokens.EntityFrameworkCore;

/// <summary>
/// The check <c>AddEntityFrameworkStore&lt;TContext&gt;()</c> runs when the host starts, in every environment: the context must be
/// registered and its model must hold the token table (<c>modelBuilder.AddApiTokens()</c> in its <c>OnModelCreating</c>), or the
/// app stops with a message that names the call to add, instead of failing every request. Options validation with
/// <c>ValidateOnStart</c> (see the core's registration check); the context is created once, in a scope of its own, and only its
/// model is read: no connection is opened.
/// </summary>
/// <typeparam name="TContext">The context given to <c>AddEntityFrameworkStore&lt;TContext&gt;()</c>.</typeparam>
internal sealed class EntityFrameworkStoreStartupCheck<TContext> : IValidateOptions<EntityFrameworkStoreStartupCheck<TContext>.Marker>
    where TContext : DbContext
{
    private readonly IServiceProvider _services;

    public EntityFrameworkStoreStartupCheck(IServiceProvider services) => _services = services;

    public ValidateOptionsResult Validate(string? name, Marker options)
    {
        var context = typeof(TContext).Name;
        if (_services.GetService<IServiceProviderIsService>() is { } registered && !registered.IsService(typeof(TContext)))
        {
            return ValidateOptionsResult.Fail(StartupMessages.ContextNotRegistered(context));
        }

        using var scope = _services.CreateScope();
        var model = scope.ServiceProvider.GetRequiredService<TContext>().Model;
        return model.FindEntityType(typeof(ApiTokenEntity)) is null
            ? ValidateOptionsResult.Fail(StartupMessages.NoTokenTable(context))
            : ValidateOptionsResult.Success;
    }

    /// <summary>The options type the check hangs on, one per context type; it holds nothing.</summary>
    internal sealed class Marker
    {
    }
}
