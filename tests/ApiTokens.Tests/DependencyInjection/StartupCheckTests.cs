using System.Net;
using ApiTokens.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens.Tests.DependencyInjection;

/// <summary>Registration mistakes stop the host when it starts (not at the first request), in every environment, naming the call to add.</summary>
public sealed class StartupCheckTests
{
    [Fact]
    public async Task WithoutAStore_TheWebAppDoesNotStart_AndTheMessageNamesTheStoreCalls()
    {
        await using var app = BuildWebApp(s => s.AddApiTokens().AddInMemoryAccounts());

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(".AddInMemoryStore()", ex.Message, StringComparison.Ordinal);
        Assert.Contains(".AddEntityFrameworkStore<TContext>()", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("account provider", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAnAccountProvider_TheWebAppDoesNotStart_AndTheMessageNamesAddAccountProvider()
    {
        await using var app = BuildWebApp(s => s.AddApiTokens().AddInMemoryStore());

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(".AddAccountProvider<TProvider>()", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("No API token store", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithNeither_InProduction_TheWebAppDoesNotStart_AndNamesBoth()
    {
        await using var app = BuildWebApp(s => s.AddApiTokens(), Environments.Production);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("No API token store", ex.Message, StringComparison.Ordinal);
        Assert.Contains("No API token account provider", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGenericHostWithoutAStore_DoesNotStart()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Services.AddApiTokens().AddInMemoryAccounts();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(".AddInMemoryStore()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHostThatBuildsButNeverStarts_GetsTheSameMessage_WhenItAsksForTheManager()
    {
        await using var app = BuildWebApp(s => s.AddApiTokens().AddInMemoryAccounts());
        await using var scope = app.Services.CreateAsyncScope();

        var ex = Assert.Throws<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<ApiTokenManager>());
        Assert.Contains(".AddInMemoryStore()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStoreAndAccountsRegisteredAfterAddApiTokens_Count_AndTheAppStartsAndAnswers()
    {
        var accounts = new InMemoryAccountProvider();
        var root = accounts.Add("root", "all");
        await using var app = BuildWebApp(s =>
        {
            s.AddSingleton<IApiTokenHasher>(new CountingHasher());
            s.AddApiTokens();
            s.AddSingleton<IApiTokenStore, InMemoryApiTokenStore>();
            s.AddSingleton<IApiTokenAccountProvider>(accounts);
        });
        app.MapGet("/me", (HttpContext c) => c.User.Identity!.Name).RequireAuthorization();

        await app.StartAsync();
        string token;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<ApiTokenManager>().CreateAsync(root.Id, new ApiTokenCreateRequest { Name = "t" });
            token = created.Value!.PlaintextToken;
        }

        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/me", UriKind.Relative))).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.TryAddWithoutValidation("Authorization", $"whm root:{token}");
        Assert.Equal("root", await (await client.SendAsync(request)).Content.ReadAsStringAsync());
        await app.StopAsync();
    }

    [Fact]
    public async Task InvalidSchemeOptions_StopStartUp_NotTheFirstRequest()
    {
        await using var app = BuildWebApp(s => s.AddApiTokens().AddInMemoryStore().AddInMemoryAccounts(), configureScheme: o => o.MaxHeaderLength = 10);

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        Assert.Contains("WhmTokenOptions.MaxHeaderLength", ex.Message, StringComparison.Ordinal);
    }

    private static WebApplication BuildWebApp(
        Action<IServiceCollection> register, string environment = "Staging", Action<WhmTokenOptions>? configureScheme = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        register(builder.Services);
        builder.Services.AddAuthentication(WhmTokenDefaults.AuthenticationScheme).AddWhmTokens(configureScheme ?? (_ => { }));
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
