using System.Net;
using System.Text.Json;
using ApiTokens.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Usage;

/// <summary>A test host with the WHM token calls mapped and its store wrapped in a <see cref="UsageRecordingStore"/>.</summary>
internal static class UsageHost
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    public static ApiTokensTestHostBuilder Builder() => new ApiTokensTestHostBuilder()
        .WrapStore((_, inner) => new UsageRecordingStore(inner))
        .ConfigureApp(app => app.MapWhmTokenApi());

    public static UsageRecordingStore Recorder(this ApiTokensTestHost host) =>
        (UsageRecordingStore)host.Services.GetRequiredService<IApiTokenStore>();

    /// <summary>Calls <c>api_token_list</c> (API 1) as <paramref name="user"/> and returns the token entries by name.</summary>
    public static async Task<Dictionary<string, JsonElement>> ListAsync(this ApiTokensTestHost host, string user, string token)
    {
        using var response = await host.GetAsync("/json-api/api_token_list?api.version=1", user, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, doc.RootElement.GetProperty("metadata").GetProperty("result").GetInt32());
        return doc.RootElement.GetProperty("data").GetProperty("tokens").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }

    /// <summary>Calls <c>api_token_get_details</c> (API 1) for <paramref name="ofToken"/>, authenticated with <paramref name="token"/>.</summary>
    public static async Task<JsonElement> DetailsAsync(this ApiTokensTestHost host, string user, string token, string ofToken)
    {
        using var response = await host.GetAsync($"/json-api/api_token_get_details?api.version=1&token={ofToken}", user, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("data").Clone();
    }

    /// <summary>Moves the host's clock one write interval on and waits for the write it starts.</summary>
    public static async Task FlushAsync(this ApiTokensTestHost host)
    {
        var written = host.Recorder().WaitForWriteAsync();
        host.Time.Advance(Interval);
        await written;
    }

    public static long? LastUsed(this JsonElement entry) =>
        entry.GetProperty("last_used") is { ValueKind: JsonValueKind.Number } n ? n.GetInt64() : null;

    public static string? LastUsedIp(this JsonElement entry) => entry.GetProperty("last_used_ip").GetString();
}
