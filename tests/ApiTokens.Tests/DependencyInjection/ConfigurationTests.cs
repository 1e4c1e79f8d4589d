using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.DependencyInjection;

/// <summary>Settings from configuration, the ASP.NET way: the core from a section, the scheme from <c>Authentication:Schemes:{name}</c>.</summary>
public sealed class ConfigurationTests
{
    // "whm " + 28 + ":" + 32 = 65 characters: one more than 64, the shortest MaxHeaderLength allowed.
    private static readonly string LongUser = new('u', 28);

    [Fact]
    public async Task SchemeMaxHeaderLength_FromConfiguration_RefusesALongerHeader()
    {
        await using var configured = await StartAsync(new() { ["Authentication:Schemes:whm:MaxHeaderLength"] = "64" });
        await using var unconfigured = await StartAsync([]);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithLongUserAsync(configured));
        Assert.Equal(HttpStatusCode.OK, await StatusWithLongUserAsync(unconfigured));
    }

    [Fact]
    public async Task SchemeChallenge_FromConfiguration_IsSent_AndCodeWinsOverIt()
    {
        var settings = new Dictionary<string, string?> { ["Authentication:Schemes:whm:Challenge"] = "whm realm=\"ops\"" };
        await using var fromConfiguration = await StartAsync(settings);
        await using var fromCode = await StartAsync(settings, b => b.ConfigureScheme(o => o.Challenge = "whm realm=\"code\""));

        Assert.Equal("whm realm=\"ops\"", (await fromConfiguration.GetAsync("/me", authorization: null)).Headers.WwwAuthenticate.ToString());
        Assert.Equal("whm realm=\"code\"", (await fromCode.GetAsync("/me", authorization: null)).Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task ASchemeUnderAnotherName_ReadsItsOwnSection()
    {
        await using var host = await StartAsync(
            new() { ["Authentication:Schemes:tokens:Challenge"] = "tokens", ["Authentication:Schemes:whm:Challenge"] = "not this" },
            b => b.WithSchemeName("tokens"));

        Assert.Equal("tokens", (await host.GetAsync("/me", authorization: null)).Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task ASchemeSettingThatIsNotANumber_StopsStartUp_NamingTheKey()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(new() { ["Authentication:Schemes:whm:MaxUserNameLength"] = "lots" }));
        Assert.Contains("Authentication:Schemes:whm:MaxUserNameLength", ex.Message, StringComparison.Ordinal);
        Assert.Contains("“lots”", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CacheLifetime_FromTheApiTokensSection_DecidesHowLongARemovedAccountsTokenStillWorks()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ApiTokens:Cache:Lifetime"] = "00:00:05" }).Build();
        await using var configured = await StartAsync([], b => b.ConfigureServices(s => s.AddApiTokens(configuration.GetSection("ApiTokens"))));
        await using var unconfigured = await StartAsync([]);

        // The account goes away behind the library's back (no change notice): the cached token works until the cache lifetime ends.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized], await StatusesAcrossSixSecondsAsync(configured));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], await StatusesAcrossSixSecondsAsync(unconfigured));
    }

    private static async Task<HttpStatusCode[]> StatusesAcrossSixSecondsAsync(ApiTokensTestHost host)
    {
        var root = host.Accounts.Add("root", "all");
        var token = (await host.CreateTokenAsync(root, "t")).PlaintextToken;
        var first = (await host.GetAsync("/me", "root", token)).StatusCode;
        host.Accounts.Remove(root.Id);
        var cached = (await host.GetAsync("/me", "root", token)).StatusCode;
        host.Time.Advance(TimeSpan.FromSeconds(6)); // past the configured five seconds, within the default five minutes
        return [first, cached, (await host.GetAsync("/me", "root", token)).StatusCode];
    }

    [Theory]
    [InlineData("ApiTokens:MaxWhitelistEntries", "0")]
    [InlineData("ApiTokens:LegacyTokenRefreshInterval", "00:00:00")]
    [InlineData("ApiTokens:LegacyTokenRefreshInterval", "-00:01:00")]
    [InlineData("ApiTokens:LegacyTokenRefreshInterval", "2.00:00:00")]
    public async Task InvalidValuesInTheApiTokensSection_StopStartUp_NamingTheSetting(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync([], b => b.ConfigureServices(s => s.AddApiTokens(configuration.GetSection("ApiTokens")))));
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddApiTokens_WithConfiguration_RejectsNulls()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().Build();
        Assert.Throws<ArgumentNullException>(() => services.AddApiTokens((IConfiguration)null!));
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddApiTokens(configuration));
        Assert.Throws<ArgumentNullException>(() => services.AddApiTokens(configuration, null!));
    }

    private static async Task<HttpStatusCode> StatusWithLongUserAsync(ApiTokensTestHost host)
    {
        var user = host.Accounts.Add(LongUser, "all");
        var token = await host.CreateTokenAsync(user, "t");
        return (await host.GetAsync("/me", LongUser, token.PlaintextToken)).StatusCode;
    }

    private static Task<ApiTokensTestHost> StartAsync(Dictionary<string, string?> settings, Action<ApiTokensTestHostBuilder>? configure = null)
    {
        var builder = new ApiTokensTestHostBuilder()
            .ConfigureWebApplicationBuilder(b => b.Configuration.AddInMemoryCollection(settings))
            .ConfigureApp(app => app.MapGet("/me", (HttpContext c) => c.User.Identity!.Name).RequireAuthorization());
        configure?.Invoke(builder);
        return builder.StartAsync();
    }
}
