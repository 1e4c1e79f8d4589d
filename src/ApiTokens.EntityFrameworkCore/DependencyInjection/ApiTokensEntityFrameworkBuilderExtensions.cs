using ApiTokens;
using ApiTokens.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Entity Framework Core token store and audit store.</summary>
public static class ApiTokensEntityFrameworkBuilderExtensions
{
    /// <summary>
    /// Stores tokens through the app's own <typeparamref name="TContext"/>, registered as usual with
    /// <c>AddDbContext</c>. Its <c>OnModelCreating</c> must call <c>modelBuilder.AddApiTokens()</c>; the host checks that when it
    /// starts and stops with a message naming the call if the model has no token table.
    /// </summary>
    public static ApiTokensBuilder AddEntityFrameworkStore<TContext>(this ApiTokensBuilder builder)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped<EntityFrameworkApiTokenStore<TContext>>();
        builder.Services.TryAddScoped<IApiTokenStore>(sp => sp.GetRequiredService<EntityFrameworkApiTokenStore<TContext>>());
        AddStartupCheck<TContext>(builder.Services);
        return builder;
    }

    /// <summary>
    /// Keeps the audit trail in the table <c>api_token_audit</c> of the app's <typeparamref name="TContext"/> (registered with
    /// <c>AddDbContext</c>; the ready <see cref="ApiTokensDbContext"/> works too), which <c>modelBuilder.AddApiTokens()</c> maps next
    /// to the token table. Every event the manager raises is then appended to it, and <c>ApiTokenManager.QueryAuditAsync</c>, the
    /// page's History and <c>tokens audit</c> read it; events older than <c>ApiTokens:Audit:Retention</c> are deleted. Create the
    /// table with <c>EnsureApiTokensCreatedAsync</c> (it adds the audit table to a database that has only the token table) or a
    /// migration. The host checks the context when it starts, as <see cref="AddEntityFrameworkStore{TContext}"/> does. Scoped, like
    /// the context; a second call is harmless.
    /// </summary>
    public static ApiTokensBuilder AddEntityFrameworkAuditStore<TContext>(this ApiTokensBuilder builder)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped<EntityFrameworkApiTokenAuditStore<TContext>>();
        builder.Services.TryAddScoped<IApiTokenAuditStore>(sp => sp.GetRequiredService<EntityFrameworkApiTokenAuditStore<TContext>>());
        AddStartupCheck<TContext>(builder.Services);
        return builder;
    }

    /// <summary>
    /// Stores tokens through the ready <see cref="ApiTokensDbContext"/>, configured by
    /// <paramref name="configureDbContext"/> (for example <c>o =&gt; o.UseSqlite("Data Source=tokens.db")</c>
    /// or <c>o =&gt; o.UseNpgsql(connectionString)</c>).
    /// </summary>
    public static ApiTokensBuilder AddEntityFrameworkStore(this ApiTokensBuilder builder, Action<DbContextOptionsBuilder> configureDbContext)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configureDbContext);
        builder.Services.AddDbContext<ApiTokensDbContext>(configureDbContext);
        return builder.AddEntityFrameworkStore<ApiTokensDbContext>();
    }

    private static void AddStartupCheck<TContext>(IServiceCollection services)
        where TContext : DbContext
    {
        services.AddOptions<EntityFrameworkStoreStartupCheck<TContext>.Marker>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<
            IValidateOptions<EntityFrameworkStoreStartupCheck<TContext>.Marker>, EntityFrameworkStoreStartupCheck<TContext>>());
    }
}
