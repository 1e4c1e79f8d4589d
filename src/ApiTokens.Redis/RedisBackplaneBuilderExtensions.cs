using ApiTokens;
using System.Diagnostics.Metrics;
using ApiTokens.Redis;
using ApiTokens.Redis.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Redis backplane to the API token services: <c>services.AddApiTokens(...).AddRedisBackplane("127.0.0.1:6379")</c>.</summary>
/// <remarks>
/// The backplane replaces the core's default <see cref="IApiTokenChangeNotifier"/> (which only applies a change to this node),
/// so every change made here also reaches the other nodes, and it runs as a hosted service. Calling it again adds no second
/// backplane; its options configuration is added to the first.
/// </remarks>
public static class RedisBackplaneBuilderExtensions
{
    /// <summary>Adds the Redis backplane connected with a StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c>.</summary>
    /// <param name="builder">The builder <c>services.AddApiTokens()</c> returned.</param>
    /// <param name="configuration">The StackExchange.Redis configuration string (see <see cref="RedisBackplaneOptions.Configuration"/>).</param>
    /// <returns>The builder, for chaining.</returns>
    public static ApiTokensBuilder AddRedisBackplane(this ApiTokensBuilder builder, string configuration) =>
        builder.AddRedisBackplane(configuration, _ => { });

    /// <summary>Adds the Redis backplane connected with <paramref name="configuration"/>, with more options.</summary>
    /// <param name="builder">The builder <c>services.AddApiTokens()</c> returned.</param>
    /// <param name="configuration">The StackExchange.Redis configuration string (see <see cref="RedisBackplaneOptions.Configuration"/>).</param>
    /// <param name="configure">Sets the channel, lifetimes and limits.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ApiTokensBuilder AddRedisBackplane(this ApiTokensBuilder builder, string configuration, Action<RedisBackplaneOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddRedisBackplane(o =>
        {
            o.Configuration = configuration;
            configure(o);
        });
    }

    /// <summary>Adds the Redis backplane over a connection the app already has (the backplane does not dispose it).</summary>
    /// <param name="builder">The builder <c>services.AddApiTokens()</c> returned.</param>
    /// <param name="connection">The app's connection; create it with <c>AbortOnConnectFail=false</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ApiTokensBuilder AddRedisBackplane(this ApiTokensBuilder builder, IConnectionMultiplexer connection) =>
        builder.AddRedisBackplane(connection, _ => { });

    /// <summary>Adds the Redis backplane over a connection the app already has (the backplane does not dispose it), with more options.</summary>
    /// <param name="builder">The builder <c>services.AddApiTokens()</c> returned.</param>
    /// <param name="connection">The app's connection; create it with <c>AbortOnConnectFail=false</c>.</param>
    /// <param name="configure">Sets the channel, lifetimes and limits.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ApiTokensBuilder AddRedisBackplane(this ApiTokensBuilder builder, IConnectionMultiplexer connection, Action<RedisBackplaneOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddRedisBackplane(o =>
        {
            o.ConnectionMultiplexerFactory = () => Task.FromResult(connection);
            configure(o);
        });
    }

    /// <summary>Adds the Redis backplane configured by <paramref name="configure"/>, which must set a connection.</summary>
    /// <param name="builder">The builder <c>services.AddApiTokens()</c> returned.</param>
    /// <param name="configure">Sets the connection (<see cref="RedisBackplaneOptions.Configuration"/>, <see cref="RedisBackplaneOptions.ConfigurationOptions"/>
    /// or <see cref="RedisBackplaneOptions.ConnectionMultiplexerFactory"/>), the channel, lifetimes and limits.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ApiTokensBuilder AddRedisBackplane(this ApiTokensBuilder builder, Action<RedisBackplaneOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        var services = builder.Services;
        services.AddOptions<RedisBackplaneOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisBackplaneOptions>, RedisBackplaneOptionsValidator>());
        services.TryAddSingleton(sp => new RedisApiTokenBackplane(
            sp.GetRequiredService<ApiTokenCacheControl>(),
            sp.GetRequiredService<IOptions<RedisBackplaneOptions>>(),
            sp.GetRequiredService<ILogger<RedisApiTokenBackplane>>(),
            sp.GetService<IMeterFactory>()));

        // The apitokens.backplane check of AddApiTokensHealthChecks() asks this one (Degraded while Redis is lost or silent).
        services.TryAddKeyedSingleton<IHealthCheck>(
            ApiTokensHealthCheckOptions.BackplaneServiceKey, (sp, _) => new RedisBackplaneHealthCheck(sp.GetRequiredService<RedisApiTokenBackplane>()));

        // Replace, not TryAdd: the core registered its local notifier already, and the backplane must win over it.
        services.Replace(ServiceDescriptor.Singleton<IApiTokenChangeNotifier>(sp => sp.GetRequiredService<RedisApiTokenBackplane>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisApiTokenBackplane>(sp => sp.GetRequiredService<RedisApiTokenBackplane>()));
        return builder;
    }
}
