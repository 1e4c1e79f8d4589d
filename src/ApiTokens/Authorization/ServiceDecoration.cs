using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Authorization;

/// <summary>
/// Wraps the host's registration of a service in a decorator, keeping its lifetime and how it is made (instance, factory or
/// type), instead of replacing it. The decorator's descriptor is recognised by its factory, so a second call changes nothing.
/// </summary>
internal static class ServiceDecoration
{
    /// <summary>
    /// Wraps the last non-keyed registration of <typeparamref name="TService"/> that is not ours in <paramref name="decorate"/>,
    /// in place; when there is none, registers <paramref name="decorate"/> over <paramref name="fallback"/> as a singleton.
    /// </summary>
    public static void Decorate<TService>(
        IServiceCollection services, Func<IServiceProvider, TService, TService> decorate, Func<IServiceProvider, TService> fallback)
        where TService : class
    {
        var index = -1;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(TService) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }

        if (index >= 0 && IsDecorated<TService>(services[index]))
        {
            return;
        }

        if (index < 0)
        {
            services.Add(ServiceDescriptor.Singleton(new Decorator<TService>(fallback, decorate).Create));
            return;
        }

        var inner = services[index];
        services[index] = ServiceDescriptor.Describe(typeof(TService), new Decorator<TService>(sp => Create<TService>(sp, inner), decorate).Create, inner.Lifetime);
    }

    /// <summary>Whether <paramref name="descriptor"/> is a decorator this class registered.</summary>
    public static bool IsDecorated<TService>(ServiceDescriptor descriptor)
        where TService : class =>
        !descriptor.IsKeyedService && descriptor.ImplementationFactory?.Target is Decorator<TService>;

    private static TService Create<TService>(IServiceProvider services, ServiceDescriptor descriptor)
        where TService : class =>
        descriptor.ImplementationInstance as TService
        ?? descriptor.ImplementationFactory?.Invoke(services) as TService
        ?? (TService)ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);

    private sealed class Decorator<TService>(Func<IServiceProvider, TService> inner, Func<IServiceProvider, TService, TService> decorate)
        where TService : class
    {
        public TService Create(IServiceProvider services) => decorate(services, inner(services));
    }
}
