using ApiTokens;
using ApiTokens.EntityFrameworkCore;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Adds the API token table to an app's own <see cref="DbContext"/> model.</summary>
public static class ApiTokensModelBuilderExtensions
{
    /// <summary>
    /// Maps <see cref="ApiTokenEntity"/> to the table <c>api_tokens</c> and <see cref="ApiTokenAuditEntity"/> to the table
    /// <c>api_token_audit</c>, in the default schema. Call it from <c>OnModelCreating</c>.
    /// </summary>
    public static ModelBuilder AddApiTokens(this ModelBuilder modelBuilder) => modelBuilder.AddApiTokens(schema: null);

    /// <summary>
    /// Maps <see cref="ApiTokenEntity"/> to the table <c>api_tokens</c> and <see cref="ApiTokenAuditEntity"/> to the table
    /// <c>api_token_audit</c>, both in <paramref name="schema"/> (<see langword="null"/> for the default schema). Call it from
    /// <c>OnModelCreating</c>.
    /// </summary>
    /// <remarks>
    /// The token table has the nullable columns <c>last_used_at</c> (bigint) and <c>last_used_ip</c> (up to 64 characters) since
    /// last-used tracking, and <c>previous_selector</c>, <c>previous_secret_hash</c>, <c>previous_expires_at</c> and
    /// <c>expiry_warned_for</c> (with three indexes) since rotation and expiry warnings: a table created before needs them added (a
    /// migration, or the <c>ALTER TABLE</c> statements in the package README). The audit table is only written when an audit
    /// store is registered (<c>AddEntityFrameworkAuditStore&lt;TContext&gt;()</c>), but is always part of the model.
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
            b.Property(e => e.PreviousSelector).HasColumnName("previous_selector").HasMaxLength(ApiTokensModelNames.SelectorMaxLength);
            b.Property(e => e.PreviousSecretHash).HasColumnName("previous_secret_hash").HasMaxLength(ApiTokensModelNames.SecretHashMaxLength);
            b.Property(e => e.PreviousExpiresAt).HasColumnName("previous_expires_at");
            b.Property(e => e.ExpiryWarnedFor).HasColumnName("expiry_warned_for");
            b.Property(e => e.ConcurrencyStamp).HasColumnName("concurrency_stamp")
                .HasMaxLength(ApiTokensModelNames.ConcurrencyStampMaxLength).IsRequired().IsConcurrencyToken();
            b.HasIndex(e => new { e.AccountId, e.Name }).IsUnique().HasDatabaseName(ApiTokensModelNames.NameIndex);
            b.HasIndex(e => new { e.AccountId, e.Selector }).IsUnique().HasDatabaseName(ApiTokensModelNames.SelectorIndex);
            b.HasIndex(e => new { e.PreviousSelector, e.AccountId }).IsUnique().HasDatabaseName(ApiTokensModelNames.PreviousSelectorIndex);
            b.HasIndex(e => e.Selector).HasDatabaseName(ApiTokensModelNames.SelectorLookupIndex);
            b.HasIndex(e => e.ExpiresAt).HasDatabaseName(ApiTokensModelNames.ExpiresAtIndex);
        });
        modelBuilder.Entity<ApiTokenAuditEntity>(b =>
        {
            b.ToTable(ApiTokensModelNames.AuditTable, schema);
            b.HasKey(e => e.Id).HasName("pk_api_token_audit");
            b.Property(e => e.Id).HasColumnName("id").ValueGeneratedOnAdd();
            b.Property(e => e.AccountId).HasColumnName("account_id").HasMaxLength(ApiTokensModelNames.AccountIdMaxLength).IsRequired();
            b.Property(e => e.UserName).HasColumnName("user_name").HasMaxLength(ApiTokensModelNames.AuditUserNameMaxLength);
            b.Property(e => e.TokenName).HasColumnName("token_name").HasMaxLength(TokenNames.MaxLength);
            b.Property(e => e.NewTokenName).HasColumnName("new_token_name").HasMaxLength(TokenNames.MaxLength);
            b.Property(e => e.Action).HasColumnName("action").HasMaxLength(ApiTokensModelNames.AuditActionMaxLength).IsRequired();
            b.Property(e => e.Time).HasColumnName("time");
            b.Property(e => e.Actor).HasColumnName("actor").HasMaxLength(ApiTokensModelNames.AuditUserNameMaxLength);
            b.Property(e => e.RemoteAddress).HasColumnName("remote_address").HasMaxLength(ApiTokensModelNames.AuditRemoteAddressMaxLength);
            b.Property(e => e.ChangedFields).HasColumnName("changed_fields").HasMaxLength(ApiTokensModelNames.AuditChangedFieldsMaxLength);
            b.Property(e => e.ExpiresAt).HasColumnName("expires_at");
            b.HasIndex(e => new { e.AccountId, e.Time }).HasDatabaseName(ApiTokensModelNames.AuditAccountTimeIndex);
            b.HasIndex(e => e.Time).HasDatabaseName(ApiTokensModelNames.AuditTimeIndex);
        });
        return modelBuilder;
    }
}
