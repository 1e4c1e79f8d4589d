using ApiTokens.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ApiTokens.Redis.Tests;

/// <summary>How <c>AddApiTokens(...).AddRedisBackplane(...)</c> registers the backplane (no Redis needed: nothing connects).</summary>
public sealed class RegistrationTests
{
    private const string Nowhere = "127.0.0.1:1";

    [Fact]
    public void AddRedisBackplane_IsTheChangeNotifier_AndSurvivesLaterCoreRegistrations()
    {
        var services = new ServiceCollection();
        services.AddApiTokens().AddInMemoryStore().AddInMemoryAccounts().AddRedisBackplane(Nowhere);

        // Whatever TryAdds the core (called again) and the handler registration run afterwards, the backplane stays.
        services.AddApiTokens();
        services.AddAuthentication(WhmTokenDefaults.AuthenticationScheme).AddWhmTokens();

        using var provider = services.BuildServiceProvider();
        var backplane = provider.GetRequiredService<RedisApiTokenBackplane>();
        Assert.Same(backplane, provider.GetRequiredService<IApiTokenChangeNotifier>());
        Assert.Same(backplane, Assert.Single(provider.GetServices<IHostedService>().OfType<RedisApiTokenBackplane>()));
        Assert.Same(backplane, Assert.Single(provider.GetServices<IApiTokenChangeNotifier>()));
    }

    [Fact]
    public void AddRedisBackplane_CalledTwice_AddsOneBackplane_AndAppliesBothConfigurations()
    {
        var services = new ServiceCollection();
        var apiTokens = services.AddApiTokens().AddInMemoryStore().AddInMemoryAccounts();
        apiTokens.AddRedisBackplane(Nowhere, o => o.ChannelName = "first").AddRedisBackplane(o => o.MaxPendingChanges = 7);

        using var provider = services.BuildServiceProvider();
        Assert.Single(provider.GetServices<IHostedService>().OfType<RedisApiTokenBackplane>());
        Assert.IsType<RedisApiTokenBackplane>(Assert.Single(provider.GetServices<IApiTokenChangeNotifier>()));
        var options = provider.GetRequiredService<IOptions<RedisBackplaneOptions>>().Value;
        Assert.Equal("first", options.ChannelName);
        Assert.Equal(7, options.MaxPendingChanges);
        Assert.Equal(Nowhere, options.Configuration);
    }

    [Fact]
    public async Task AddRedisBackplane_OverTheAppsConnection_UsesIt()
    {
        var services = new ServiceCollection();
        var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(new StackExchange.Redis.ConfigurationOptions
        {
            EndPoints = { Nowhere },
            AbortOnConnectFail = false,
            ConnectTimeout = 100,
        });
        await using (connection)
        {
            services.AddApiTokens().AddInMemoryStore().AddInMemoryAccounts().AddRedisBackplane(connection);
            using var provider = services.BuildServiceProvider();

            var factory = provider.GetRequiredService<IOptions<RedisBackplaneOptions>>().Value.ConnectionMultiplexerFactory;
            Assert.NotNull(factory);
            Assert.Same(connection, await factory());
            Assert.IsType<RedisApiTokenBackplane>(provider.GetRequiredService<IApiTokenChangeNotifier>());
        }
    }

    [Fact]
    public void AddRedisBackplane_WithoutAConnection_FailsAtStartWithAMessageThatSaysWhatToSet()
    {
        var services = new ServiceCollection();
        services.AddApiTokens().AddInMemoryStore().AddInMemoryAccounts().AddRedisBackplane(_ => { });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisBackplaneOptions>>().Value);
        Assert.Contains("AddRedisBackplane", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:6379", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRedisBackplane_WithInvalidSettings_NamesEachSetting()
    {
        var services = new ServiceCollection();
        services.AddApiTokens().AddRedisBackplane(Nowhere, o =>
        {
            o.ChannelName = " ";
            o.DegradedCacheLifetime = TimeSpan.Zero;
            o.ProbeInterval = TimeSpan.FromSeconds(-1);
            o.MaxPendingChanges = -1;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisBackplaneOptions>>().Value);
        foreach (var setting in new[] { "ChannelName", "DegradedCacheLifetime", "ProbeInterval", "MaxPendingChanges" })
        {
            Assert.Contains("ApiTokens:Redis:" + setting, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0.0, 2.0, "HeartbeatInterval")]
    [InlineData(-1.0, 2.0, "HeartbeatInterval")]
    [InlineData(3601.0, 2.0, "HeartbeatInterval")]
    [InlineData(1.0, 0.0, "HeartbeatTimeout")]
    [InlineData(1.0, 3601.0, "HeartbeatTimeout")]
    public void AddRedisBackplane_WithAHeartbeatOutOfRange_NamesTheSettingAndItsRange(double intervalSeconds, double timeoutSeconds, string setting)
    {
        var services = new ServiceCollection();
        services.AddApiTokens().AddRedisBackplane(Nowhere, o =>
        {
            o.HeartbeatInterval = TimeSpan.FromSeconds(intervalSeconds);
            o.HeartbeatTimeout = TimeSpan.FromSeconds(timeoutSeconds);
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisBackplaneOptions>>().Value);
        var message = Assert.Single(error.Failures);
        Assert.Contains("ApiTokens:Redis:" + setting + " must be positive and at most 01:00:00", message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeartbeatDefaults_NoticeAHungRedisWithinThreeSeconds()
    {
        var options = new RedisBackplaneOptions();

        Assert.Equal(TimeSpan.FromSeconds(1), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), options.HeartbeatTimeout);
    }

    [Fact]
    public void AddRedisBackplane_WithNullArguments_Throws()
    {
        var builder = new ServiceCollection().AddApiTokens();

        Assert.Throws<ArgumentNullException>(() => ((ApiTokensBuilder)null!).AddRedisBackplane(Nowhere));
        Assert.Throws<ArgumentNullException>(() => builder.AddRedisBackplane((string)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddRedisBackplane(Nowhere, null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddRedisBackplane((StackExchange.Redis.IConnectionMultiplexer)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddRedisBackplane((Action<RedisBackplaneOptions>)null!));
    }
}
