using System.Net;
using System.Security.Claims;
using ApiTokens.Tests.NegativeCache;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.ClientLimits;

/// <summary>
/// A Kestrel test host set up as an app behind a reverse proxy is: <c>UseForwardedHeaders</c> first (the loopback proxy is
/// known by default), so a request's <c>X-Forwarded-For</c> becomes <c>Connection.RemoteIpAddress</c>, the address client limits
/// count by. Store lookups and Argon2 runs are counted; routes <c>/whoami</c> (host) and <c>/json-api/api_token_list</c> (WHM).
/// </summary>
internal sealed class ClientLimitsHost : IAsyncDisposable
{
    private ClientLimitsHost(ApiTokensTestHost host) => Host = host;

    public ApiTokensTestHost Host { get; }

    public LookupCountingStore Store => Host.Services.GetRequiredService<LookupCountingStore>();

    public ApiTokenAccount Root => Host.Accounts.FindByUserNameAsync("root", CancellationToken.None).AsTask().Result!;

    public static async Task<ClientLimitsHost> StartAsync(Action<ApiTokenClientLimitsOptions>? limits = null, Action<ApiTokensTestHostBuilder>? configure = null, bool forwardedHeaders = true)
    {
        var builder = new ApiTokensTestHostBuilder()
            .SeedAccounts(a => a.Add("root", "all"))
            .ConfigureOptions(o =>
            {
                o.ClientLimits.MaxFailures = 3;
                limits?.Invoke(o.ClientLimits);
            })
            .WrapStore((_, inner) => new LookupCountingStore(inner))
            .ConfigureServices(s => s.AddSingleton(sp => (LookupCountingStore)sp.GetRequiredService<IApiTokenStore>()))
            .ConfigureApp(app =>
            {
                app.MapGet("/whoami", (ClaimsPrincipal user) => Results.Text(user.Identity!.Name)).RequireAuthorization();
                app.MapWhmTokenApi();
            });
        if (forwardedHeaders)
        {
            builder.ConfigureServices(s => s
                .Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedFor)
                .AddTransient<IStartupFilter, ForwardedHeadersFirst>());
        }

        configure?.Invoke(builder);
        return new ClientLimitsHost(await builder.StartAsync());
    }

    public string RandomToken() => Host.Services.GetRequiredService<ApiTokenFormat>().Generate().Value;

    /// <summary>A GET with <c>Authorization</c> (if any), from <paramref name="client"/> (sent as <c>X-Forwarded-For</c>; null: the socket's own address).</summary>
    public async Task<Answer> GetAsync(string path, string? authorization, string? client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (client is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", client);
        }

        using var response = await Host.Client.SendAsync(request);
        return new Answer(
            response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : null,
            response.Headers.WwwAuthenticate.Count > 0,
            await response.Content.ReadAsStringAsync());
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    internal sealed record Answer(HttpStatusCode Status, string? MediaType, int? RetryAfterSeconds, bool Challenged, string Body);

    /// <summary>Puts <c>UseForwardedHeaders</c> before everything else, as an app behind a proxy does.</summary>
    private sealed class ForwardedHeadersFirst : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseForwardedHeaders();
            next(app);
        };
    }
}
