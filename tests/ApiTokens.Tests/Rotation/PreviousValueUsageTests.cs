using System.Net;

namespace ApiTokens.Tests.Rotation;

/// <summary>A use of a rotated token's old value, during its grace period, is a use of the token: <c>last_used</c> shows it.</summary>
public sealed class PreviousValueUsageTests
{
    [Fact]
    public async Task AUseOfTheOldValue_IsShownAsTheTokensLastUse()
    {
        await using var host = await UsageTestHost.Builder().StartAsync();
        var root = host.Accounts.Add("root", "all");
        var caller = (await host.CreateTokenAsync(root, "caller")).PlaintextToken;
        var old = (await host.CreateTokenAsync(root, "deploy")).PlaintextToken;
        Assert.True((await host.Manager.RotateAsync(root.Id, "deploy", TimeSpan.FromHours(1))).Succeeded);
        host.Time.Advance(TimeSpan.FromSeconds(30));

        using (var used = await host.GetAsync("/json-api/api_token_list?api.version=1", "root", old))
        {
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        await host.FlushAsync();

        var entry = (await host.ListTokensAsync("root", caller))["deploy"];
        Assert.Equal(ApiTokensTestHostBuilder.DefaultStart.ToUnixTimeSeconds() + 30, entry.LastUsed());
        Assert.Equal("127.0.0.1", entry.LastUsedIp());
    }
}
