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
