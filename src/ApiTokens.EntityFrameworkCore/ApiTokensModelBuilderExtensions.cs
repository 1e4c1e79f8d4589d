using ApiTokens;
using ApiTokens.EntityFrameworkCore;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Adds the API token table to an app's own <see cref="DbContext"/> model.</summary>
public static class ApiTokensModelBuilderExtensions
{
    /// <summary>
    /// Maps <see cref="ApiTokenEntity"/> to the table <c>api_tokens</c> in the default schema.
    /// Call it from <c>OnModelCreating</c>.
    /// </summary>
    public static ModelBuilder AddApiTokens(this ModelBuilder modelBuilder) => modelBuilder.AddApiTokens(schema: null);

    /// <summary>
    /// Maps <see cref="ApiTokenEntity"/> to the table <c>api_tokens</c> in <paramref name="schema"/>
    /// (<see langword="null"/> for the default schema). Call it from <c>OnModelCreating</c>.
    /// </summary>
    /// <remarks>
    /// The table has the nullable columns <c>last_used_at</c> (bigint) and <c>last_used_ip</c> (up to 64 characters) since
    /// last-used tracking: a table created before needs them added (a migration, or the <c>ALTER TABLE</c> in the package README).
    /// </remarks>
    public static ModelBuilder AddApiTokens(this ModelBuilder modelBuilder, string? schema)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<ApiTokenEntity>(b =>
        {
            b.ToTable(ApiTokensModelNames.Table, schema);
            b.HasKey(e => e.Id).HasName("pk_api_tokens");
            b.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
            b.Property(e => e.AccountId).HasColumnName("account_id").HasMaxLength(ApiTokensModelNames.AccountIdMaxLength).IsRequired();
            b.Property(e => e.Name).HasColumnName("name").HasMaxLength(TokenNames.MaxLength).IsRequired();
            b.Property(e => e.Selector).HasColumnName("selector").HasMaxLength(ApiTokensModelNames.SelectorMaxLength).IsRequired();
            b.Property(e => e.SecretHash).HasColumnName("secret_hash").HasMaxLength(ApiTokensModelNames.SecretHashMaxLength).IsRequired();
            b.Property(e => e.CreatedAt).HasColumnName("created_at");
            b.Property(e => e.ExpiresAt).HasColumnName("expires_at");
            b.Property(e => e.Acls).HasColumnName("acls");
            b.Property(e => e.WhitelistIps).HasColumnName("whitelist_ips");
            b.Property(e => e.LastUsedAt).HasColumnName("last_used_at");
            b.Property(e => e.LastUsedIp).HasColumnName("last_used_ip").HasMaxLength(ApiTokensModelNames.LastUsedIpMaxLength);
            b.Property(e => e.ConcurrencyStamp).HasColumnName("concurrency_stamp")
                .HasMaxLength(ApiTokensModelNames.ConcurrencyStampMaxLength).IsRequired().IsConcurrencyToken();
            b.HasIndex(e => new { e.AccountId, e.Name }).IsUnique().HasDatabaseName(ApiTokensModelNames.NameIndex);
            b.HasIndex(e => new { e.AccountId, e.Selector }).IsUnique().HasDatabaseName(ApiTokensModelNames.SelectorIndex);
        });
        return modelBuilder;
    }
}
