using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.EntityFrameworkCore.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public async Task AddEntityFrameworkStore_WithTheAppsContext_ResolvesAScopedStoreOverIt_AndASecondCallIsHarmless()
    {
        var services = new ServiceCollection();
        services.AddDbContext<AppDbContext>(o => o.UseSqlite("Data Source=unused.db"));
        services.AddApiTokens().AddEntityFrameworkStore<AppDbContext>().AddEntityFrameworkStore<AppDbContext>().AddInMemoryStore().AddInMemoryAccounts();

        Assert.Single(services, d => d.ServiceType == typeof(IApiTokenStore));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await using var scope = provider.CreateAsyncScope();
        Assert.IsType<EntityFrameworkApiTokenStore<AppDbContext>>(scope.ServiceProvider.GetRequiredService<IApiTokenStore>());
    }

    [Fact]
    public async Task AddEntityFrameworkStore_WithOptions_UsesTheReadyContext()
    {
        var services = new ServiceCollection();
        services.AddApiTokens().AddEntityFrameworkStore(o => o.UseSqlite("Data Source=unused.db")).AddInMemoryAccounts();

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await using var scope = provider.CreateAsyncScope();
        Assert.IsType<EntityFrameworkApiTokenStore<ApiTokensDbContext>>(scope.ServiceProvider.GetRequiredService<IApiTokenStore>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<ApiTokensDbContext>());
    }

    [Fact]
    public void Registration_RejectsNulls()
    {
        Assert.Throws<ArgumentNullException>(() => ((ApiTokensBuilder)null!).AddEntityFrameworkStore<AppDbContext>());
        Assert.Throws<ArgumentNullException>(() => ((ApiTokensBuilder)null!).AddEntityFrameworkAuditStore<AppDbContext>());
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddApiTokens().AddEntityFrameworkStore(null!));
        Assert.Throws<ArgumentNullException>(() => ((ModelBuilder)null!).AddApiTokens());
    }

    [Fact]
    public void Model_MapsTheTokenTable_WithFittingLengths_UniqueKeys_AndAConcurrencyToken()
    {
        using var context = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseSqlite("Data Source=unused.db").Options);
        var entity = context.Model.FindEntityType(typeof(ApiTokenEntity))!;

        Assert.Equal("api_tokens", entity.GetTableName());
        Assert.Equal(128, entity.FindProperty(nameof(ApiTokenEntity.AccountId))!.GetMaxLength());
        Assert.Equal(50, entity.FindProperty(nameof(ApiTokenEntity.Name))!.GetMaxLength());
        Assert.Equal(32, entity.FindProperty(nameof(ApiTokenEntity.Selector))!.GetMaxLength());
        Assert.Equal(256, entity.FindProperty(nameof(ApiTokenEntity.SecretHash))!.GetMaxLength());
        Assert.True(entity.FindProperty(nameof(ApiTokenEntity.ConcurrencyStamp))!.IsConcurrencyToken);
        Assert.True(entity.FindProperty(nameof(ApiTokenEntity.Acls))!.IsNullable);
        Assert.True(entity.FindProperty(nameof(ApiTokenEntity.WhitelistIps))!.IsNullable);
        Assert.True(entity.FindProperty(nameof(ApiTokenEntity.ExpiresAt))!.IsNullable);
        var unique = entity.GetIndexes().Where(i => i.IsUnique)
            .Select(i => string.Join(",", i.Properties.Select(p => p.GetColumnName())))
            .Order(StringComparer.Ordinal);
        Assert.Equal(["account_id,name", "account_id,selector", "previous_selector,account_id"], unique);
        Assert.Equal(32, entity.FindProperty(nameof(ApiTokenEntity.PreviousSelector))!.GetMaxLength());
        Assert.Equal(256, entity.FindProperty(nameof(ApiTokenEntity.PreviousSecretHash))!.GetMaxLength());
        Assert.All(
            new[] { nameof(ApiTokenEntity.PreviousSelector), nameof(ApiTokenEntity.PreviousSecretHash), nameof(ApiTokenEntity.PreviousExpiresAt), nameof(ApiTokenEntity.ExpiryWarnedFor) },
            p => Assert.True(entity.FindProperty(p)!.IsNullable, p));
        var lookups = entity.GetIndexes().Where(i => !i.IsUnique)
            .Select(i => string.Join(",", i.Properties.Select(p => p.GetColumnName())))
            .Order(StringComparer.Ordinal);
        Assert.Equal(["expires_at", "selector"], lookups);
    }

    [Fact]
    public void Model_MapsTheAuditTable_InTheSameSchema_WithBoundedText_AndItsTwoIndexes()
    {
        using var context = new SchemaAppDbContext(new DbContextOptionsBuilder<SchemaAppDbContext>().UseNpgsql("Host=unused").Options);
        var entity = context.Model.FindEntityType(typeof(ApiTokenAuditEntity))!;

        Assert.Equal("api_token_audit", entity.GetTableName());
        Assert.Equal(SchemaAppDbContext.Schema, entity.GetSchema());
        Assert.Equal(Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.OnAdd, entity.FindProperty(nameof(ApiTokenAuditEntity.Id))!.ValueGenerated);
        Assert.Equal(128, entity.FindProperty(nameof(ApiTokenAuditEntity.AccountId))!.GetMaxLength());
        Assert.Equal(32, entity.FindProperty(nameof(ApiTokenAuditEntity.Action))!.GetMaxLength());
        Assert.Equal(64, entity.FindProperty(nameof(ApiTokenAuditEntity.RemoteAddress))!.GetMaxLength());
        Assert.All(entity.GetProperties().Where(p => p.ClrType == typeof(string)), p => Assert.NotNull(p.GetMaxLength()));
        var indexes = entity.GetIndexes()
            .Select(i => (i.IsUnique, Columns: string.Join(",", i.Properties.Select(p => p.GetColumnName()))))
            .OrderBy(i => i.Columns, StringComparer.Ordinal);
        Assert.Equal([(false, "account_id,time"), (false, "time")], indexes);
    }

    [Fact]
    public async Task AddEntityFrameworkAuditStore_ResolvesAScopedStoreOverTheContext_TheManagerHasAnAuditTrail_AndASecondCallIsHarmless()
    {
        var services = new ServiceCollection();
        services.AddDbContext<AppDbContext>(o => o.UseSqlite("Data Source=unused.db"));
        services.AddApiTokens().AddEntityFrameworkStore<AppDbContext>()
            .AddEntityFrameworkAuditStore<AppDbContext>().AddEntityFrameworkAuditStore<AppDbContext>().AddInMemoryAccounts();

        var registration = Assert.Single(services, d => d.ServiceType == typeof(IApiTokenAuditStore));
        Assert.Equal(ServiceLifetime.Scoped, registration.Lifetime);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await using var scope = provider.CreateAsyncScope();
        Assert.IsType<EntityFrameworkApiTokenAuditStore<AppDbContext>>(scope.ServiceProvider.GetRequiredService<IApiTokenAuditStore>());
        Assert.True(scope.ServiceProvider.GetRequiredService<ApiTokenManager>().HasAuditTrail);
    }

    [Fact]
    public void LikeEscaping_MakesWildcardsLiteral_AndLowerCasesAsciiOnly()
    {
        Assert.Equal("a\\_b\\%c\\\\d\\[e", EntityFrameworkApiTokenStore<AppDbContext>.EscapeLike("a_b%c\\d[e"));
        Assert.Equal("abc-_\u212A\u0130", EntityFrameworkApiTokenStore<AppDbContext>.AsciiLower("AbC-_\u212A\u0130"));
    }
}
