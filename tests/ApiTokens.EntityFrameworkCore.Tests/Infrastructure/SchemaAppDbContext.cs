using Microsoft.EntityFrameworkCore;

namespace ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>An app context that keeps the token table in a schema of its own.</summary>
public sealed class SchemaAppDbContext(DbContextOptions<SchemaAppDbContext> options) : DbContext(options)
{
    public const string Schema = "auth";

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddApiTokens(Schema);
}
