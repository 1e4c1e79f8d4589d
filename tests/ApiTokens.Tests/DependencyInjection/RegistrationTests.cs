using ApiTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApiTokens.Tests.DependencyInjection;

/// <summary>One registration tree, and every call on it harmless when repeated.</summary>
public sealed class RegistrationTests
{
    private static int Count<T>(IServiceCollection services) => services.Count(d => d.ServiceType == typeof(T));

    [Fact]
    public void EveryCoreAddOn_CalledTwice_RegistersEachServiceOnce_AndAppliesBothConfigurations()
    {
        var services = new ServiceCollection().AddLogging();
        for (var i = 0; i < 2; i++)
        {
            var tokens = i == 0 ? services.AddApiTokens(o => o.MaxWhitelistEntries = 7) : services.AddApiTokens(o => o.Cache.SizeLimit = 9);
            tokens.AddInMemoryStore().AddInMemoryAccounts().AddAuditSink<RecordingAuditSink>();
            services.AddPrivilegeAuthorization();
        }

        services.AddAuthentication().AddWhmTokens();

        Assert.Equal(1, Count<ApiTokenManager>(services));
        Assert.Equal(1, Count<IApiTokenStore>(services));
        Assert.Equal(1, Count<IApiTokenAccountProvider>(services));
        Assert.Equal(1, Count<IApiTokenChangeNotifier>(services));
        Assert.Equal(1, Count<ApiTokenCacheControl>(services));
        Assert.Equal(1, Count<IApiTokenAuditSink>(services));
        Assert.Equal(1, Count<IAuthorizationPolicyProvider>(services));
        Assert.Single(services, d => d.ServiceType == typeof(IAuthorizationHandler) && d.ImplementationType?.Name == "PrivilegeAuthorizationHandler");
        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(IStartupFilter))); // the privilege check and the core check, once each

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ApiTokenOptions>>().Value;
        Assert.Equal((7, 9L), (options.MaxWhitelistEntries, options.Cache.SizeLimit));
    }

    [Fact]
    public void AddApiTokens_AlwaysRegistersTheVerifyCache_AndALocalNotifier_WithoutAnyScheme()
    {
        using var provider = new ServiceCollection().AddLogging().AddApiTokens().AddInMemoryStore().AddInMemoryAccounts().Services.BuildServiceProvider();

        Assert.NotNull(provider.GetService<ApiTokenCacheControl>());
        Assert.IsType<LocalChangeNotifier>(provider.GetRequiredService<IApiTokenChangeNotifier>());
    }

    [Fact]
    public void InvalidOptions_FailWithMessagesThatNameTheSetting()
    {
        using var provider = new ServiceCollection().AddLogging()
            .AddApiTokens(o =>
            {
                o.Verification.MaxConcurrentHashes = 0;
                o.Cache.SizeLimit = 0;
            })
            .AddInMemoryStore().AddInMemoryAccounts().Services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ApiTokenOptions>>().Value);
        Assert.Contains("ApiTokens:Verification:MaxConcurrentHashes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ApiTokens:Cache:SizeLimit", ex.Message, StringComparison.Ordinal);
    }
}
