using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ApiTokens.Sodium.Tests;

/// <summary>How <c>AddApiTokens(...).AddSodiumHasher()</c> registers the hasher, and what stops the host from starting.</summary>
public sealed class RegistrationTests
{
    [Fact]
    public void AddSodiumHasher_IsTheHasher_AndSurvivesLaterCoreRegistrations()
    {
        var services = new ServiceCollection();
        services.AddApiTokens().AddInMemoryStore().AddInMemoryAccounts().AddSodiumHasher();

        // The core registers its managed hasher with TryAdd: calling it again afterwards changes nothing.
        services.AddApiTokens();

        using var provider = services.BuildServiceProvider();
        Assert.IsType<SodiumArgon2ApiTokenHasher>(Assert.Single(provider.GetServices<IApiTokenHasher>()));
    }

    [Fact]
    public void AddSodiumHasher_ReplacesAHasherTheAppRegisteredBefore()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IApiTokenHasher>(new CountingHasher());
        services.AddApiTokens().AddInMemoryStore().AddInMemoryAccounts().AddSodiumHasher();

        using var provider = services.BuildServiceProvider();
        Assert.IsType<SodiumArgon2ApiTokenHasher>(Assert.Single(provider.GetServices<IApiTokenHasher>()));
    }

    [Fact]
    public void AddSodiumHasher_CalledTwice_RegistersOneHasherAndOneCheck()
    {
        var services = new ServiceCollection();
        services.AddApiTokens().AddInMemoryStore().AddInMemoryAccounts().AddSodiumHasher().AddSodiumHasher();

        using var provider = services.BuildServiceProvider();
        Assert.Single(provider.GetServices<IApiTokenHasher>());
        Assert.Single(provider.GetServices<IValidateOptions<ApiTokenOptions>>().OfType<SodiumHashingOptionsValidator>());
    }

    [Fact]
    public void AddSodiumHasher_UsesTheConfiguredParameters()
    {
        var services = new ServiceCollection();
        services.AddApiTokens(o =>
        {
            o.Hashing.MemoryCost = 96;
            o.Hashing.TimeCost = 3;
        }).AddInMemoryStore().AddInMemoryAccounts().AddSodiumHasher();

        using var provider = services.BuildServiceProvider();
        var hash = provider.GetRequiredService<IApiTokenHasher>().Hash("SECRET");
        Assert.StartsWith("$argon2id$v=19$m=96,t=3,p=1$", hash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithTwoLanesConfigured_StopsTheHost_BeforeAnyRequest_NamingTheSetting()
    {
        var builder = new ApiTokensTestHostBuilder()
            .ConfigureOptions(o => o.Hashing.Parallelism = 2)
            .ConfigureApiTokens(b => b.AddSodiumHasher());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(builder.StartAsync);

        Assert.Contains("ApiTokens:Hashing:Parallelism is 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("remove AddSodiumHasher()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithA32ByteSaltConfigured_StopsTheHost_NamingTheSetting()
    {
        var builder = new ApiTokensTestHostBuilder()
            .ConfigureOptions(o => o.Hashing.SaltLength = 32)
            .ConfigureApiTokens(b => b.AddSodiumHasher());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(builder.StartAsync);

        Assert.Contains("ApiTokens:Hashing:SaltLength is 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WhenLibsodiumCannotLoad_StopsTheHost_SayingWhatToDo()
    {
        // The real check loads the library through NSec; here a check that reports what NSec reports when the file is missing.
        var missing = new SodiumRuntime(() => "Unable to load shared library 'libsodium' or one of its dependencies");
        var builder = new ApiTokensTestHostBuilder()
            .ConfigureApiTokens(b => b.AddSodiumHasher())
            .ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton(missing)));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(builder.StartAsync);

        Assert.Contains("AddSodiumHasher() needs the native libsodium library", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unable to load shared library 'libsodium'", error.Message, StringComparison.Ordinal);
        Assert.Contains("or remove AddSodiumHasher()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithTheDefaults_Succeeds_AndTheHostHashesWithLibsodium()
    {
        await using var host = await new ApiTokensTestHostBuilder()
            .ConfigureApiTokens(b => b.AddSodiumHasher())
            .StartAsync();

        Assert.IsType<SodiumArgon2ApiTokenHasher>(host.Services.GetRequiredService<IApiTokenHasher>());
    }
}
