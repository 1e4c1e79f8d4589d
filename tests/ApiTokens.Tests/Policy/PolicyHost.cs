using System.Text.Json;
using ApiTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace ApiTokens.Tests.Policy;

/// <summary>
/// The shared Kestrel test server with the WHM token functions mapped (<c>/json-api/api_token_*</c>), an optional
/// <c>ApiTokens:Policy:MaxLifetime</c>, and root's token to call them with.
/// </summary>
internal sealed class PolicyHost : IAsyncDisposable
{
    private PolicyHost(WhmTestServer server, ApiTokenAccount root, string rootToken)
    {
        Server = server;
        Root = root;
        RootToken = rootToken;
    }

    public static readonly TimeSpan ThirtyDays = TimeSpan.FromDays(30);

    public WhmTestServer Server { get; }

    public ApiTokenAccount Root { get; }

    public string RootToken { get; }

    public static async Task<PolicyHost> StartAsync(TimeSpan? maxLifetime)
    {
        var server = await WhmTestServer.StartAsync(o => o.Policy.MaxLifetime = maxLifetime, map: app => app.MapWhmTokenApi());
        var root = server.Accounts.Add("root", "all");

        // The caller lives as long as the policy lets it (a test moves the clock up to 20 days).
        var created = await server.CreateTokenAsync(root, "caller", expiresAt: maxLifetime is { } max ? WhmTestServer.Start + max : null);
        return new PolicyHost(server, root, created.PlaintextToken);
    }

    /// <summary>POSTs a WHM call as root with its form fields; returns the parsed answer.</summary>
    public async Task<JsonElement> CallAsync(string function, params (string Key, string Value)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/json-api/" + function)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))),
        };
        request.Headers.TryAddWithoutValidation("Authorization", $"whm root:{RootToken}");
        using var response = await Server.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public static int Result(JsonElement answer) => answer.GetProperty("metadata").GetProperty("result").GetInt32();

    public static string Reason(JsonElement answer) => answer.GetProperty("metadata").GetProperty("reason").GetString()!;

    public static string Seconds(DateTimeOffset value) => value.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
