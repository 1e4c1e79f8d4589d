using ApiTokens.Benchmarks.Infrastructure;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiTokens.Benchmarks;

/// <summary>
/// A whole request through the full middleware pipeline with authentication and authorization: a
/// privilege-protected endpoint with a cached <c>whm</c> token, against the same endpoint handler mapped without any
/// requirement and called anonymously (baseline). Two servers: TestServer (in memory, no HTTP parsing or sockets)
/// and Kestrel on 127.0.0.1 with an <see cref="HttpClient"/> over a real keep-alive socket.
/// </summary>
[MemoryDiagnoser]
public class FullRequestBenchmarks
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private string _header = null!;
    private readonly CountingHasher _hasher = new(HashParameters.Test);

    [Params("TestServer", "Kestrel")]
    public string Server { get; set; } = "TestServer";

    [GlobalSetup]
    public void Setup()
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (Server == "Kestrel")
        {
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IApiTokenHasher>(_hasher);
        builder.Services.AddApiTokens(o => o.Hashing = HashParameters.Test).AddInMemoryStore().AddInMemoryAccounts();
        builder.Services.AddAuthentication(AuthHost.Whm).AddWhmTokens();
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapGet("/json-api/listaccts", ListAccounts).RequirePrivilege(AuthHost.Privilege);
        _app.MapGet("/anonymous/listaccts", ListAccounts);
        _app.StartAsync().GetAwaiter().GetResult();
        if (Server == "Kestrel")
        {
            var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = new Uri(address),
            };
        }
        else
        {
            _client = _app.GetTestClient();
        }

        var services = _app.Services;
        var account = services.GetRequiredService<ApiTokens.InMemoryAccountProvider>().Add(AuthHost.UserName, "all");
        var generated = services.GetRequiredService<ApiTokenFormat>().Generate();
        var token = new ApiToken
        {
            Id = Guid.NewGuid(),
            AccountId = account.Id,
            Name = "bench",
            Selector = generated.Selector,
            SecretHash = services.GetRequiredService<IApiTokenHasher>().Hash(generated.Secret),
            CreatedAt = DateTimeOffset.UtcNow,
            Acls = [AuthHost.Privilege],
            ConcurrencyStamp = "stamp",
        };
        services.GetRequiredService<InMemoryApiTokenStore>().CreateAsync(token, CancellationToken.None).GetAwaiter().GetResult();
        _header = $"{AuthHost.UserName}:{generated.Value}";
        if (WithToken().GetAwaiter().GetResult() != 8 || Anonymous().GetAwaiter().GetResult() != 8)
        {
            throw new InvalidOperationException("The endpoint did not answer 200.");
        }

        _hasher.Reset();
        for (var i = 0; i < 3; i++)
        {
            _ = WithToken().GetAwaiter().GetResult();
        }

        if (_hasher.VerifyCalls != 0)
        {
            throw new InvalidOperationException($"The cached token ran Argon2 {_hasher.VerifyCalls} times in 3 requests.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "anonymous, same endpoint without a requirement")]
    public Task<int> Anonymous() => SendAsync("/anonymous/listaccts", null);

    [Benchmark(Description = "whm cached, privilege-protected endpoint")]
    public Task<int> WithToken() => SendAsync("/json-api/listaccts", _header);

    /// <summary>The token sent to the endpoint without a requirement: authentication only, no policy (the split).</summary>
    [Benchmark(Description = "whm cached, same endpoint without a requirement")]
    public Task<int> TokenUnprotected() => SendAsync("/anonymous/listaccts", _header);

    private static string ListAccounts() => "accounts";

    private async Task<int> SendAsync(string path, string? credential)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (credential is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "whm " + credential);
        }

        using var response = await _client.SendAsync(request).ConfigureAwait(false);
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            return -(int)response.StatusCode;
        }

        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return body.Length;
    }
}
