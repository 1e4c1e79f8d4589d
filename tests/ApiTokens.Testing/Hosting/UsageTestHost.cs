using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Testing;

/// <summary>
/// Last-used tests over a real host: a builder with the WHM token calls mapped and the store wrapped in a
/// <see cref="UsageRecordingStore"/>, and helpers that read <c>last_used</c> over HTTP and drive the write interval.
/// </summary>
public static class UsageTestHost
{
    /// <summary>The default <c>ApiTokens:Usage:WriteInterval</c>.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);

    /// <summary>A host builder with the WHM token calls mapped and the store wrapped in a <see cref="UsageRecordingStore"/>.</summary>
    public static ApiTokensTestHostBuilder Builder() => new ApiTokensTestHostBuilder()
        .ConfigureServices(s => s.AddSingleton<UsageWriteProbe>())
        .WrapStore((sp, inner) => new UsageRecordingStore(inner, sp.GetRequiredService<UsageWriteProbe>()))
        .ConfigureApp(app => app.MapWhmTokenApi());

    /// <summary>The host's <see cref="UsageWriteProbe"/>.</summary>
    public static UsageWriteProbe Recorder(this ApiTokensTestHost host) => host.Services.GetRequiredService<UsageWriteProbe>();

    /// <summary>Calls <c>api_token_list</c> (API 1) as <paramref name="user"/> and returns the token entries by name.</summary>
    public static async Task<Dictionary<string, JsonElement>> ListTokensAsync(this ApiTokensTestHost host, string user, string token)
    {
        using var response = await host.GetAsync("/json-api/api_token_list?api.version=1", user, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, doc.RootElement.GetProperty("metadata").GetProperty("result").GetInt32());
        return doc.RootElement.GetProperty("data").GetProperty("tokens").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }

    /// <summary>Calls <c>api_token_get_details</c> (API 1) for <paramref name="ofToken"/>, authenticated with <paramref name="token"/>.</summary>
    public static async Task<JsonElement> TokenDetailsAsync(this ApiTokensTestHost host, string user, string token, string ofToken)
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
        host.Time.Advance(DefaultInterval);
        await written;
    }

    /// <summary>An entry's <c>last_used</c>, or null.</summary>
    public static long? LastUsed(this JsonElement entry) =>
        entry.GetProperty("last_used") is { ValueKind: JsonValueKind.Number } n ? n.GetInt64() : null;

    /// <summary>An entry's <c>last_used_ip</c>, or null.</summary>
    public static string? LastUsedIp(this JsonElement entry) => entry.GetProperty("last_used_ip").GetString();
}
