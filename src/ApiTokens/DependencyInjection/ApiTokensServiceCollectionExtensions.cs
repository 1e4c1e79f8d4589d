using ApiTokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the API token core.</summary>
public static class ApiTokensServiceCollectionExtensions
{
    /// <summary>
    /// Adds the token core: the manager, hashing and its limits, the token format, the privilege catalogue and this node's
    /// verify cache. Choose a store and an account provider on the builder it returns.
    /// </summary>
    public static ApiTokensBuilder AddApiTokens(this IServiceCollection services) => services.AddApiTokens(_ => { });

    /// <summary>Adds the token core (see <see cref="AddApiTokens(IServiceCollection)"/>), configured by <paramref name="configure"/>.</summary>
    public static ApiTokensBuilder AddApiTokens(this IServiceCollection services, Action<ApiTokenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<ApiTokenOptions>().Configure(configure);
        return services.AddApiTokensCore();
    }

    /// <summary>
    /// Adds the token core (see <see cref="AddApiTokens(IServiceCollection)"/>) with its options bound from
    /// <paramref name="configuration"/>, usually <c>builder.Configuration.GetSection("ApiTokens")</c>: keys such as
    /// <c>Cache:Lifetime</c>, <c>Verification:MaxConcurrentHashes</c>, <c>Hashing:MemoryCost</c> or <c>MaxWhitelistEntries</c>.
    /// The core reads its options once, at start-up: a changed value takes effect at the next restart.
    /// </summary>
    public static ApiTokensBuilder AddApiTokens(this IServiceCollection services, IConfiguration configuration) =>
        services.AddApiTokens(configuration, _ => { });

    /// <summary>
    /// Adds the token core with its options bound from <paramref name="configuration"/> (see
    /// <see cref="AddApiTokens(IServiceCollection, IConfiguration)"/>), then <paramref name="configure"/>, so code wins over configuration.
    /// </summary>
    public static ApiTokensBuilder AddApiTokens(this IServiceCollection services, IConfiguration configuration, Action<ApiTokenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<ApiTokenOptions>().Bind(configuration).Configure(configure);
        return services.AddApiTokensCore();
    }

    private static ApiTokensBuilder AddApiTokensCore(this IServiceCollection services)
    {
        services.AddOptions<ApiTokenOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiTokenOptions>, ApiTokenOptionsValidator>());

        // A missing store or account provider stops the host's start (not the first request), in every environment.
        services.AddOptions<ApiTokensStartupCheck.Marker>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiTokensStartupCheck.Marker>, ApiTokensStartupCheck>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new PrivilegeCatalog(sp.GetRequiredService<IOptions<ApiTokenOptions>>()));
        services.TryAddSingleton(sp => new ApiTokenFormat(sp.GetRequiredService<IOptions<ApiTokenOptions>>()));
        services.TryAddSingleton<IApiTokenHasher>(sp => new Argon2ApiTokenHasher(sp.GetRequiredService<IOptions<ApiTokenOptions>>()));
        services.TryAddSingleton<VerifyCache>();
        services.TryAddSingleton<HashGate>();
        services.TryAddSingleton<LegacyTokenIndex>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LegacyTokenIndexStartup>());
        services.TryAddSingleton(sp => new ApiTokenCacheControl(
            sp.GetRequiredService<VerifyCache>(), sp.GetRequiredService<LegacyTokenIndex>()));
        services.TryAddSingleton<IApiTokenChangeNotifier>(sp => new LocalChangeNotifier(sp.GetRequiredService<ApiTokenCacheControl>()));
        services.TryAddSingleton<UsageTracker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, UsageWriter>());
        services.TryAddSingleton<ApiTokenVerifier>();
        services.TryAddSingleton<TokenLimits>();
        services.TryAddSingleton<AuditWriter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AuditRetentionService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ExpiryWarningService>());
        services.TryAddScoped<LegacyTokenImporter>();
        services.TryAddScoped(sp => new ApiTokenManager(
            ApiTokensStartupCheck.Require<IApiTokenStore>(sp, Messages.NoStore),
            ApiTokensStartupCheck.Require<IApiTokenAccountProvider>(sp, Messages.NoAccountProvider),
            sp.GetRequiredService<HashGate>(),
            sp.GetRequiredService<ApiTokenFormat>(),
            sp.GetRequiredService<TokenLimits>(),
            sp.GetRequiredService<IApiTokenChangeNotifier>(),
            sp.GetRequiredService<AuditWriter>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ApiTokenManager>>(),
            sp.GetRequiredService<IOptions<ApiTokenOptions>>(),
            sp.GetService<IApiTokenAuditStore>()));
        services.AddLogging();
        return new ApiTokensBuilder(services);
    }

    /// <summary>Uses the thread-safe in-memory token store (tests and samples; nothing survives a restart).</summary>
    public static ApiTokensBuilder AddInMemoryStore(this ApiTokensBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<InMemoryApiTokenStore>();
        builder.Services.TryAddSingleton<IApiTokenStore>(sp => sp.GetRequiredService<InMemoryApiTokenStore>());
        return builder;
    }

    /// <summary>
    /// Keeps audit events in memory (tests and samples; nothing survives a restart), so they can be read back with
    /// <see cref="ApiTokenManager.QueryAuditAsync"/>, the page's History or <c>tokens audit</c>. Every event the manager raises is
    /// appended to it, next to the audit sinks; events older than <c>ApiTokens:Audit:Retention</c> are deleted about once an hour.
    /// </summary>
    public static ApiTokensBuilder AddInMemoryAuditStore(this ApiTokensBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<InMemoryApiTokenAuditStore>();
        builder.Services.TryAddSingleton<IApiTokenAuditStore>(sp => sp.GetRequiredService<InMemoryApiTokenAuditStore>());
        return builder;
    }

    /// <summary>
    /// Adds a handler told once per token and expiry when the token enters <c>ApiTokens:Policy:ExpiryWarning</c> before it
    /// expires (on one node of many), for example to mail its owner. Scoped: it may use scoped services such as a
    /// <c>DbContext</c>. Any number may be added; an exception is logged and swallowed. See docs/audit-and-expiry.md.
    /// </summary>
    public static ApiTokensBuilder AddExpiryWarningHandler<THandler>(this ApiTokensBuilder builder)
        where THandler : class, IApiTokenExpiryWarningHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Scoped<IApiTokenExpiryWarningHandler, THandler>());
        return builder;
    }

    /// <summary>Uses <typeparamref name="TProvider"/> to resolve accounts.</summary>
    public static ApiTokensBuilder AddAccountProvider<TProvider>(this ApiTokensBuilder builder)
        where TProvider : class, IApiTokenAccountProvider
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped<IApiTokenAccountProvider, TProvider>();
        return builder;
    }

    /// <summary>Uses an in-memory account provider (tests and samples).</summary>
    public static ApiTokensBuilder AddInMemoryAccounts(this ApiTokensBuilder builder, Action<InMemoryAccountProvider>? seed = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var provider = new InMemoryAccountProvider();
        seed?.Invoke(provider);
        builder.Services.TryAddSingleton(provider);
        builder.Services.TryAddSingleton<IApiTokenAccountProvider>(sp => sp.GetRequiredService<InMemoryAccountProvider>());
        return builder;
    }

    /// <summary>Adds an audit sink that receives every create, update and revoke.</summary>
    public static ApiTokensBuilder AddAuditSink<TSink>(this ApiTokensBuilder builder)
        where TSink : class, IApiTokenAuditSink
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IApiTokenAuditSink, TSink>());
        return builder;
    }
}
