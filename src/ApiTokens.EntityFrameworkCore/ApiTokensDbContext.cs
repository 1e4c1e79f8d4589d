using Microsoft.EntityFrameworkCore;

namespace ApiTokens.EntityFrameworkCore;

/// <summary>
/// A ready <see cref="DbContext"/> holding only the API token table and its audit table, for apps that have no context of their own.
/// Create the tables with <see cref="ApiTokensDatabaseFacadeExtensions.EnsureApiTokensCreatedAsync"/>.
/// </summary>
public class ApiTokensDbContext : DbContext
{
    /// <summary>Creates the context.</summary>
    public ApiTokensDbContext(DbContextOptions<ApiTokensDbContext> options)
        : base(options)
    {
    }

    /// <summary>Creates a derived context.</summary>
    protected ApiTokensDbContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>The stored tokens.</summary>
    public DbSet<ApiTokenEntity> ApiTokens => Set<ApiTokenEntity>();

    /// <summary>The stored audit events (written only when an audit store is registered: <c>AddEntityFrameworkAuditStore&lt;ApiTokensDbContext&gt;()</c>).</summary>
    public DbSet<ApiTokenAuditEntity> ApiTokenAudit => Set<ApiTokenAuditEntity>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        base.OnModelCreating(modelBuilder);
        modelBuilder.AddApiTokens();
    }
}
