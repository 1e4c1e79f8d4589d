using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.NegativeCache;

/// <summary>
/// The shared Kestrel test host with the verifier's store lookups and account reads counted, account root (all), a host route
/// (<c>/whoami</c>) and the WHM token API (<c>/json-api/api_token_list</c>).
/// </summary>
internal sealed class NegativeCacheHost : IAsyncDisposable
{
    private NegativeCacheHost(ApiTokensTestHost host) => Host = host;

    public ApiTokensTestHost Host { get; }

    public LookupCountingStore Store => Host.Services.GetRequiredService<LookupCountingStore>();

    public LookupCountingAccounts AccountReads => Host.Services.GetRequiredService<LookupCountingAccounts>();

    public ApiTokenAccount Root => Host.Accounts.FindByUserNameAsync("root", CancellationToken.None).AsTask().Result!;

    public static async Task<NegativeCacheHost> StartAsync(Action<ApiTokensTestHostBuilder>? configure = null)
    {
        var accounts = new InMemoryAccountProvider();
        accounts.Add("root", "all");
        var builder = new ApiTokensTestHostBuilder()
            .UseAccounts(b => b.Services
                .AddSingleton(accounts)
                .AddSingleton(new LookupCountingAccounts(accounts))
                .AddSingleton<IApiTokenAccountProvider>(sp => sp.GetRequiredService<LookupCountingAccounts>()))
            .WrapStore((_, inner) => new LookupCountingStore(inner))
            .ConfigureServices(s => s.AddSingleton(sp => (LookupCountingStore)sp.GetRequiredService<IApiTokenStore>()))
            .ConfigureApp(app =>
            {
                app.MapGet("/whoami", (ClaimsPrincipal user) => Results.Text(user.Identity!.Name)).RequireAuthorization();
                app.MapWhmTokenApi();
            });
        configure?.Invoke(builder);
        return new NegativeCacheHost(await builder.StartAsync());
    }

    /// <summary>A well-formed token value no store holds.</summary>
    public string RandomToken() => Host.Services.GetRequiredService<ApiTokenFormat>().Generate().Value;

    public void ResetCounts()
    {
        Store.Reset();
        AccountReads.Reset();
        Host.Hasher.Reset();
    }

    /// <summary>Status, headers that matter, and body of one request.</summary>
    public async Task<Answer> ObserveAsync(string path, string authorization)
    {
        using var response = await Host.GetAsync(path, authorization);
        return new Answer(
            response.StatusCode,
            response.Content.Headers.ContentType?.ToString(),
            string.Join(",", response.Headers.WwwAuthenticate),
            response.Headers.RetryAfter?.ToString(),
            await response.Content.ReadAsStringAsync());
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    internal sealed record Answer(HttpStatusCode Status, string? ContentType, string Challenge, string? RetryAfter, string Body);
}
