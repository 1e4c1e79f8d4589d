using ApiTokens;
using ApiTokens.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis backplane that carries token and account changes to every node.</summary>
/// <remarks>
/// The backplane becomes the <see cref="IApiTokenChangeNotifier"/> whatever the call order with
/// <c>AddWhmTokens</c> (which only replaces the no-op default). The start-up check fails with a clear message
/// if something registered later replaced it again.
/// </remarks>
public static class RedisBackplaneServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Redis backplane connected with a StackExchange.Redis configuration string, for example
    /// <c>services.AddApiTokensRedisBackplane("127.0.0.1:6379")</c>.
    /// </summary>
    public static IServiceCollection AddApiTokensRedisBackplane(this IServiceCollection services, string configuration) =>
        services.AddApiTokensRedisBackplane(configuration, _ => { });

    /// <summary>Adds the Redis backplane connected with <paramref name="configuration"/>, configured by <paramref name="configure"/>.</summary>
    public static IServiceCollection AddApiTokensRedisBackplane(
        this IServiceCollection services, string configuration, Action<RedisBackplaneOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddApiTokensRedisBackplane(o =>
        {
            o.Configuration = configuration;
            configure(o);
        });
    }

    /// <summary>
    /// Adds the Redis backplane over a connection the app already has (the backplane does not dispose it).
    /// </summary>
    public static IServiceCollection AddApiTokensRedisBackplane(this IServiceCollection services, IConnectionMultiplexer connection) =>
        services.AddApiTokensRedisBackplane(connection, _ => { });

    /// <summary>
    /// Adds the Redis backplane over a connection the app already has (the backplane does not dispose it), with more options.
    /// </summary>
    public static IServiceCollection AddApiTokensRedisBackplane(
        this IServiceCollection services, IConnectionMultiplexer connection, Action<RedisBackplaneOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(connection);
        return services.AddApiTokensRedisBackplane(o =>
        {
            o.ConnectionMultiplexerFactory = () => Task.FromResult(connection);
            configure(o);
        });
    }

    /// <summary>Adds the Redis backplane configured by <paramref name="configure"/> (set a connection there).</summary>
    public static IServiceCollection AddApiTokensRedisBackplane(this IServiceCollection services, Action<RedisBackplaneOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddApiTokens();
        services.AddOptions<RedisBackplaneOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisBackplaneOptions>, RedisBackplaneOptionsValidator>());
                services.TryAddSingleton<RedisApiTokenBackplane>();

        services.RemoveAll<IApiTokenChangeNotifier>();
        services.AddSingleton<IApiTokenChangeNotifier>(sp => sp.GetRequiredService<RedisApiTokenBackplane>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisApiTokenBackplane>(sp =>
        {
            var backplane = sp.GetRequiredService<RedisApiTokenBackplane>();
            if (!ReferenceEquals(sp.GetRequiredService<IApiTokenChangeNotifier>(), backplane))
            {
                throw new InvalidOperationException(
                    "IApiTokenChangeNotifier was replaced after AddApiTokensRedisBackplane, so changes would not reach the other nodes. "
                    + "Call AddApiTokensRedisBackplane after any other registration of IApiTokenChangeNotifier.");
            }

            return backplane;
        }));
        return services;
    }
}
