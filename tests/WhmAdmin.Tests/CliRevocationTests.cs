using System.Net;
using System.Net.Sockets;
using ApiTokens.Redis;
using Microsoft.Extensions.DependencyInjection;

namespace WhmAdmin.Tests;

/// <summary>
/// <c>tokens revoke</c> runs in its own process (here: its own DI container over the same SQLite file), so the
/// running server's verify cache only hears of it through Redis; without Redis the CLI says how long it may not.
/// </summary>
public sealed class CliRevocationTests
{
    [SkippableFact]
    public async Task CliRevoke_WithRedis_IsRefusedByTheRunningServerWithinOneSecond()
    {
        var redis = await RequireRedisAsync();
        await using var host = await SampleHost.StartAsync(
            configurePasswords: true,
            $"--ConnectionStrings:Redis={redis}",
            $"--ApiTokens:Redis:ChannelName=whmadmin-tests:{Guid.NewGuid():N}");
        await WaitUntilSubscribedAsync(host.Services.GetRequiredService<RedisApiTokenBackplane>());

        var token = await host.CreateTokenWithCliAsync("root", "cached");
        using (var first = await host.SendAsync(HttpMethod.Get, "/json-api/version", "root", token))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode); // now in the server's verify cache
        }

        var (code, stdout, stderr) = await host.CliAsync("tokens", "revoke", "--user", "root", "--name", "cached");

        Assert.True(code == 0, stderr);
        Assert.Contains("Revoked API token “cached” of root.", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Note:", stderr, StringComparison.Ordinal);
        var status = await PollStatusAsync(host, token, HttpStatusCode.Forbidden, TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Forbidden, status); // a full-access root token: the only 403 is WHM's refusal of the token
        await host.AssertRefusedAsync("root", token);
    }

    [Fact]
    public async Task CliRevoke_WithoutRedis_SaysARunningServerMayAcceptTheTokenForTheCacheLifetime()
    {
        await using var host = await SampleHost.StartAsync(configurePasswords: true, "--ApiTokens:Cache:Lifetime=00:02:00");
        var token = await host.CreateTokenWithCliAsync("root", "cached");
        using (var first = await host.SendAsync(HttpMethod.Get, "/json-api/version", "root", token))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var (code, stdout, stderr) = await host.CliAsync("tokens", "revoke", "--user", "root", "--name", "cached");

        Assert.True(code == 0, stderr);
        Assert.Equal("Revoked API token “cached” of root.", stdout.Trim());
        Assert.Contains(
            "Note: a running server may keep accepting this token for up to 2 minutes (ApiTokens:Cache:Lifetime)",
            stderr,
            StringComparison.Ordinal);
        Assert.Contains("Add a backplane (for example AddRedisBackplane", stderr, StringComparison.Ordinal);

        // What the note warns about: the server still trusts its cached entry ...
        using (var cached = await host.SendAsync(HttpMethod.Get, "/json-api/version", "root", token))
        {
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        }

        // ... until it restarts.
        await host.StopAppAsync();
        await host.StartAppAsync();
        await host.AssertRefusedAsync("root", token);
    }

    [Fact]
    public async Task CliCreate_WithRedisConfigured_StillPrintsThePlaintextTokenAloneOnTheLastLine()
    {
        // No Redis is needed: create changes nothing a server has cached, so the CLI does not start the backplane.
        await using var host = await SampleHost.StartAsync(configurePasswords: true, "--ConnectionStrings:Redis=127.0.0.1:1");

        var (code, stdout, stderr) = await host.CliAsync("tokens", "create", "--user", "root", "--name", "script");

        Assert.True(code == 0, stderr);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        using var response = await host.SendAsync(HttpMethod.Get, "/json-api/version", "root", lines[^1].Trim());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>APITOKENS_REDIS (host:port), reachable; skipped with the reason on a developer machine, failing when CI=true.</summary>
    private static async Task<string> RequireRedisAsync()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        var redis = Environment.GetEnvironmentVariable("APITOKENS_REDIS");
        string? reason = null;
        if (string.IsNullOrWhiteSpace(redis))
        {
            reason = "APITOKENS_REDIS is not set (host:port of a running Redis, for example 127.0.0.1:6379; .ci/run sets it).";
        }
        else
        {
            var separator = redis.LastIndexOf(':');
            try
            {
                using var client = new TcpClient();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.ConnectAsync(redis[..separator], int.Parse(redis[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture), timeout.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or FormatException or ArgumentOutOfRangeException)
            {
                reason = $"Redis at APITOKENS_REDIS={redis} is not reachable ({ex.Message}).";
            }
        }

        if (reason is not null)
        {
            Assert.False(ci, "CI=true and " + reason);
            Skip.If(true, reason);
        }

        return redis!;
    }

    private static async Task WaitUntilSubscribedAsync(RedisApiTokenBackplane backplane)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (backplane.IsDegraded)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Asks until the server answers <paramref name="expected"/> or <paramref name="within"/> has passed; returns the last status.</summary>
    private static async Task<HttpStatusCode> PollStatusAsync(SampleHost host, string token, HttpStatusCode expected, TimeSpan within)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            using var response = await host.SendAsync(HttpMethod.Get, "/json-api/version", "root", token);
            if (response.StatusCode == expected || TimeProvider.System.GetElapsedTime(started) >= within)
            {
                return response.StatusCode;
            }

            await Task.Delay(10);
        }
    }
}
