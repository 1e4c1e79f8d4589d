using ApiTokens.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ApiTokens.Redis.Tests;

public sealed class RegistrationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Backplane_RegisteredBeforeOrAfterAddWhmTokens_IsTheCacheInvalidator(bool backplaneFirst)
    {
        var services = new ServiceCollection();
        services.AddApiTokens().AddInMemoryStore().AddInMemoryAccounts();
        if (backplaneFirst)
        {
            services.AddApiTokensRedisBackplane("127.0.0.1:1");
        }

        services.AddAuthentication(WhmTokenDefaults.AuthenticationScheme).AddWhmTokens();
        if (!backplaneFirst)
        {
            services.AddApiTokensRedisBackplane("127.0.0.1:1");
        }

        using var provider = services.BuildServiceProvider();
        var invalidator = provider.GetRequiredService<IApiTokenCacheInvalidator>();
        Assert.IsType<RedisApiTokenBackplane>(invalidator);
        Assert.Single(provider.GetServices<IHostedService>().OfType<RedisApiTokenBackplane>());
        Assert.Same(provider.GetRequiredService<ApiTokenCache>(), provider.GetRequiredService<ApiTokenCache>());
    }

    [Fact]
    public void Backplane_WithoutAConnection_FailsWithAMessageThatSaysWhatToSet()
    {
        var services = new ServiceCollection();
        services.AddApiTokensRedisBackplane(_ => { });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisBackplaneOptions>>().Value);
        Assert.Contains("AddApiTokensRedisBackplane", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidatorReplacedAfterTheBackplane_FailsAtStart()
    {
        var services = new ServiceCollection();
        services.AddApiTokensRedisBackplane("127.0.0.1:1");
        services.AddSingleton<IApiTokenCacheInvalidator>(sp => sp.GetRequiredService<ApiTokenCache>());
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetServices<IHostedService>().ToList());
        Assert.Contains("replaced after AddApiTokensRedisBackplane", error.Message, StringComparison.Ordinal);
    }
}
