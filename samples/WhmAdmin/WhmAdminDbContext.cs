using Microsoft.EntityFrameworkCore;

namespace WhmAdmin;

/// <summary>The sample's database: its accounts table and the library's token table.</summary>
internal sealed class WhmAdminDbContext(DbContextOptions<WhmAdminDbContext> options) : DbContext(options)
{
    public const string AccountsTable = "whm_accounts";

    public const string PasswordHashColumn = "password_hash";

    public const int PasswordHashMaxLength = 512;

    public DbSet<Account> Accounts => Set<Account>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Account>(b =>
        {
            b.ToTable(AccountsTable);
            b.HasKey(a => a.Id);
            b.Property(a => a.Id).HasColumnName("id").HasMaxLength(64);
            b.Property(a => a.UserName).HasColumnName("user_name").HasMaxLength(64).IsRequired();
            b.Property(a => a.OwnerId).HasColumnName("owner_id").HasMaxLength(64);
            b.Property(a => a.IsSuspended).HasColumnName("is_suspended");
            b.Property(a => a.Privileges).HasColumnName("privileges").HasMaxLength(4000).IsRequired();
            b.Property(a => a.CreatedAt).HasColumnName("created_at");
            b.Property(a => a.PasswordHash).HasColumnName(PasswordHashColumn).HasMaxLength(PasswordHashMaxLength);
            b.Property(a => a.SuspendReason).HasColumnName("suspend_reason").HasMaxLength(AccountRules.MaxReasonLength);
            b.Property(a => a.SuspendedAt).HasColumnName("suspended_at");
            b.Property(a => a.Domain).HasColumnName("domain").HasMaxLength(AccountRules.MaxDomainLength);
            b.Property(a => a.ContactEmail).HasColumnName("contact_email").HasMaxLength(AccountRules.MaxEmailLength);
            b.Property(a => a.Plan).HasColumnName("plan").HasMaxLength(AccountRules.MaxPlanLength);
            b.HasIndex(a => a.UserName).IsUnique();
            b.HasIndex(a => a.Domain).IsUnique(); // one account per domain, as on WHM (NULLs, the seeded accounts, do not collide)
        });
        modelBuilder.AddApiTokens();
    }
}
