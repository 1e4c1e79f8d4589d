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
        Assert.Equal(["account_id,name", "account_id,selector"], unique);
    }

    [Fact]
    public void LikeEscaping_MakesWildcardsLiteral_AndLowerCasesAsciiOnly()
    {
        Assert.Equal("a\\_b\\%c\\\\d\\[e", EntityFrameworkApiTokenStore<AppDbContext>.EscapeLike("a_b%c\\d[e"));
        Assert.Equal("abc-_\u212A\u0130", EntityFrameworkApiTokenStore<AppDbContext>.AsciiLower("AbC-_\u212A\u0130"));
    }
}
