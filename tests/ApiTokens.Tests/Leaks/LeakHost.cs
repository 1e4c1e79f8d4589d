using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Leaks;

/// <summary>
/// The shared Kestrel test host with the leak endpoint at <see cref="ReportPath"/>, a route that needs <c>list-accts</c> to
/// try tokens on, the store wrapped in a <see cref="LeakCountingStore"/>, and an audit sink and a leak handler that record. It is
/// set up as an app behind a reverse proxy is (<c>UseForwardedHeaders</c> first, the loopback proxy known), so a report sent
/// with <see cref="ReportFromAsync"/> comes from the address it names.
/// </summary>
internal sealed class LeakHost : IAsyncDisposable
{
    public const string ReportPath = "/api-tokens/leaked";

    public const string ListAccts = "/json-api/listaccts";

    private LeakHost(ApiTokensTestHost host) => Host = host;

    public ApiTokensTestHost Host { get; }

    public LeakCountingStore Store => (LeakCountingStore)Host.Store;

    public LeakRecorder Recorder => Host.Services.GetRequiredService<LeakRecorder>();

    public CountingHasher Hasher => Host.Hasher;

    public static Task<LeakHost> StartAsync(
        Action<LeakedTokenRevocationOptions>? configure = null,
        Action<ApiTokenOptions>? options = null,
        Action<ApiTokensTestHostBuilder>? customize = null) =>
        StartAsync(new ApiTokensTestHostBuilder(), configure, options, customize);

    public static async Task<LeakHost> StartAsync(
        ApiTokensTestHostBuilder builder,
        Action<LeakedTokenRevocationOptions>? configure = null,
        Action<ApiTokenOptions>? options = null,
        Action<ApiTokensTestHostBuilder>? customize = null)
    {
        builder
            .WrapStore((_, inner) => new LeakCountingStore(inner))
            .ConfigureServices(s => s
                .AddSingleton<LeakRecorder>()
                .Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedFor)
                .AddTransient<IStartupFilter, ForwardedHeadersFirst>())
            .ConfigureApiTokens(b => b.AddAuditSink<RecordingAuditSink>().AddLeakHandler<RecordingLeakHandler>())
            .ConfigureApp(app =>
            {
                app.MapLeakedTokenRevocation(ReportPath, configure);
                app.MapGet(ListAccts, () => "accounts").RequirePrivilege("list-accts");
            });
        if (options is not null)
        {
            builder.ConfigureOptions(options);
        }

        customize?.Invoke(builder);
        return new LeakHost(await builder.StartAsync());
    }

    /// <summary>Reports <paramref name="values"/> as a leak, the way a scanner does: a JSON array, <c>application/json</c>.</summary>
    public Task<Answer> ReportAsync(params string[] values) => PostAsync(JsonSerializer.Serialize(values), "application/json");

    /// <summary>Reports <paramref name="values"/> from the client <paramref name="client"/> (sent as <c>X-Forwarded-For</c>).</summary>
    public Task<Answer> ReportFromAsync(string client, params string[] values) => PostAsync(JsonSerializer.Serialize(values), "application/json", client);

    /// <summary>POSTs <paramref name="body"/> as it is, with <paramref name="contentType"/> (none when null), from <paramref name="client"/> (null: the socket's address).</summary>
    public async Task<Answer> PostAsync(string body, string? contentType, string? client = null)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(ReportPath, UriKind.Relative)) { Content = content };
        if (client is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", client);
        }

        using var response = await Host.Client.SendAsync(request);
        return await Answer.ReadAsync(response);
    }

    /// <summary>A random value of the token format that names no token (it costs a lookup, never an Argon2 run).</summary>
    public string RandomToken() => Host.Services.GetRequiredService<ApiTokenFormat>().Generate().Value;

    /// <summary>The status of a request to <see cref="ListAccts"/> with <c>whm user:token</c>.</summary>
    public async Task<HttpStatusCode> TryAsync(string user, string token)
    {
        using var response = await Host.GetAsync(ListAccts, user, token);
        return response.StatusCode;
    }

    /// <summary>Asserts the token answers 200 and that a second request is served from the cache (no Argon2 run).</summary>
    public async Task WarmAsync(string user, string token)
    {
        Assert.Equal(HttpStatusCode.OK, await TryAsync(user, token));
        var before = Hasher.VerifyCalls;
        Assert.Equal(HttpStatusCode.OK, await TryAsync(user, token));
        Assert.Equal(before, Hasher.VerifyCalls);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    /// <summary>An answer as a reporter sees it: status, the headers that matter, the body.</summary>
    internal sealed record Answer(HttpStatusCode Status, string? ContentType, string? RetryAfter, string? CacheControl, string Body)
    {
        public static async Task<Answer> ReadAsync(HttpResponseMessage response) => new(
            response.StatusCode,
            response.Content.Headers.ContentType?.ToString(),
            response.Headers.RetryAfter?.ToString(),
            response.Headers.CacheControl?.ToString(),
            await response.Content.ReadAsStringAsync());

        /// <summary>The problem's <c>detail</c> (the sentence that says what to do).</summary>
        public string Detail => JsonDocument.Parse(Body).RootElement.GetProperty("detail").GetString()!;
    }

    private sealed class ForwardedHeadersFirst : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseForwardedHeaders();
            next(app);
        };
    }
}
