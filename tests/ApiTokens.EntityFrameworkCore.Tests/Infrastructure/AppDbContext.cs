using Microsoft.EntityFrameworkCore;

namespace ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>An app's own context: its own table plus the token table.</summary>
public class AppDbContext(DbContextOptions<AppDbContext> options) : DbContext(options)
{
    public DbSet<Widget> Widgets => Set<Widget>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Widget>().ToTable("widgets");
        modelBuilder.AddApiTokens();
    }
}

public sealed class Widget
{
    public int Id { get; set; }

    public string Label { get; set; } = string.Empty;
}

/// <summary>An app context that keeps the token table in a schema of its own.</summary>
public sealed class SchemaAppDbContext(DbContextOptions<SchemaAppDbContext> options) : DbContext(options)
{
    public const string Schema = "auth";

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddApiTokens(Schema);
}
