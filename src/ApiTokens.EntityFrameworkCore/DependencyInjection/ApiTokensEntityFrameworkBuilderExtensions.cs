using ApiTokens;
using ApiTokens.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Entity Framework Core token store.</summary>
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
        builder.Services.AddOptions<EntityFrameworkStoreStartupCheck<TContext>.Marker>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<
            IValidateOptions<EntityFrameworkStoreStartupCheck<TContext>.Marker>, EntityFrameworkStoreStartupCheck<TContext>>());
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
}
