using ApiTokens.Tests.Legacy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApiTokens.Tests.Policy;

/// <summary><c>ApiTokens:Policy:MaxLifetime</c> from configuration, its start-up check, and what it does not touch (imports).</summary>
public sealed class PolicyConfigurationTests
{
    private static ApiTokensTestServices Build(string? maxLifetime)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ApiTokens:Policy:MaxLifetime"] = maxLifetime })
            .Build();
        return new ApiTokensTestHostBuilder()
            .ConfigureServices(s => s.AddApiTokens(configuration.GetSection("ApiTokens")))
            .BuildServices();
    }

    [Fact]
    public async Task MaxLifetime_FromConfiguration_GivesANewTokenWithoutExpiryThatLifetime()
    {
        await using var configured = Build("30.00:00:00");
        await using var unconfigured = new ApiTokensTestHostBuilder().BuildServices();

        var root = configured.Accounts.Add("root", "all");
        var bounded = await configured.CreateTokenAsync(root, "bounded");
        var unbounded = await unconfigured.CreateTokenAsync(unconfigured.Accounts.Add("root", "all"), "unbounded");

        Assert.Equal(TimeSpan.FromDays(30), configured.Services.GetRequiredService<IOptions<ApiTokenOptions>>().Value.Policy.MaxLifetime);
        Assert.Equal(ApiTokensTestHostBuilder.DefaultStart.AddDays(30), bounded.Token.ExpiresAt);
        Assert.Null(unbounded.Token.ExpiresAt);
    }

    [Theory]
    [InlineData("00:59:59")]
    [InlineData("-1.00:00:00")]
    [InlineData("3650.00:00:01")]
    public void MaxLifetime_OutsideOneHourToTenYears_StopsStartUp_NamingTheKey(string value)
    {
        var ex = Assert.ThrowsAny<Exception>(() => Build(value).Dispose());

        Assert.Contains(
            "ApiTokens:Policy:MaxLifetime must be between 1 hour (01:00:00) and 10 years (3650.00:00:00), or left out for no limit.",
            ex.Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("01:00:00")]
    [InlineData("3650.00:00:00")]
    public void MaxLifetime_AtTheBounds_IsAccepted(string value)
    {
        using var services = Build(value);

        Assert.NotNull(services.Services.GetRequiredService<IOptions<ApiTokenOptions>>().Value.Policy.MaxLifetime);
    }

    [Fact]
    public async Task ImportedCpanelTokens_KeepTheirExpiry_AsIs_UnderAPolicy()
    {
        await using var host = await LegacyHost.StartAsync(b => b.ConfigureOptions(o => o.Policy.MaxLifetime = TimeSpan.FromDays(30)));
        var tenYears = ApiTokensTestHostBuilder.DefaultStart.AddYears(10).ToUnixTimeSeconds();
        var file = new CpanelTokenFile().Add("forever").Add("decade", expiresAt: tenYears);

        var (code, _, stderr) = await host.CliAsync(null, "tokens", "import-whm", file.WriteTo("root.json"));

        Assert.True(code == 0, stderr);
        Assert.Null((await host.Host.Manager.FindByNameAsync(host.Root.Id, "forever"))!.ExpiresAt);
        Assert.Equal(tenYears, (await host.Host.Manager.FindByNameAsync(host.Root.Id, "decade"))!.ExpiresAt!.Value.ToUnixTimeSeconds());
    }
}
