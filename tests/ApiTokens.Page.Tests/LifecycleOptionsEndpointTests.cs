using System.Net;
using System.Text.Json;
using ApiTokens.Page.Tests.Infrastructure;

namespace ApiTokens.Page.Tests;

/// <summary>
/// What the page's JSON says under the lifecycle options (no browser): the grace periods "Regenerate" offers follow
/// <c>ApiTokens:Rotation:MaxGracePeriod</c>, <c>expires_soon</c> follows <c>ApiTokens:Policy:ExpiryWarning</c>, and a rotation over
/// the per-account create limit is a 429.
/// </summary>
public sealed class LifecycleOptionsEndpointTests
{
    [Theory]
    [InlineData(24 * 3600, new long[] { 0, 3600, 86400 })]
    [InlineData(2 * 3600, new long[] { 0, 3600 })]
    [InlineData(0, new long[] { 0 })]
    public async Task Session_OffersOnlyTheGracePeriodsWithinMaxGracePeriod(long maxSeconds, long[] offered)
    {
        await using var host = await PageTestHost.StartAsync(b => b.ConfigureOptions(o => o.Rotation.MaxGracePeriod = TimeSpan.FromSeconds(maxSeconds)));
        using var client = new PageHttpClient(host);
        await client.LogInAsync("root");

        var session = await client.SessionAsync();

        Assert.Equal(offered, session.GetProperty("grace_periods").EnumerateArray().Select(g => g.GetProperty("seconds").GetInt64()));
    }

    [Fact]
    public async Task TokenList_MarksExpiresSoon_ForLiveTokensExpiringWithinTheExpiryWarning_Only()
    {
        await using var host = await PageTestHost.StartAsync(b => b.ConfigureOptions(o => o.Policy.ExpiryWarning = TimeSpan.FromDays(3)));
        var now = host.Time.GetUtcNow();
        await host.CreateTokenAsync("root", "never");
        await host.CreateTokenAsync("root", "in-2-days", ["list-accts"], now.AddDays(2));
        await host.CreateTokenAsync("root", "in-3-days", ["list-accts"], now.AddDays(3).AddHours(1));
        await host.CreateTokenAsync("root", "in-4-days", ["list-accts"], now.AddDays(4).AddHours(1));
        await host.CreateTokenAsync("root", "gone", ["list-accts"], now.AddMinutes(30));
        host.Time.Advance(TimeSpan.FromHours(1));

        var soon = await ExpiresSoonAsync(host);

        Assert.Equal(
            new Dictionary<string, bool> { ["never"] = false, ["in-2-days"] = true, ["in-3-days"] = true, ["in-4-days"] = false, ["gone"] = false },
            soon);
    }

    [Fact]
    public async Task TokenList_MarksNothingExpiresSoon_WhenTheExpiryWarningIsOff()
    {
        await using var host = await PageTestHost.StartAsync(b => b.ConfigureOptions(o => o.Policy.ExpiryWarning = TimeSpan.Zero));
        await host.CreateTokenAsync("root", "in-an-hour", ["list-accts"], host.Time.GetUtcNow().AddHours(1));

        Assert.Equal(new Dictionary<string, bool> { ["in-an-hour"] = false }, await ExpiresSoonAsync(host));
    }

    [Fact]
    public async Task Rotate_OverTheCreateLimit_Answers429RateLimited_AndTheOldTokenKeepsWorking()
    {
        await using var host = await PageTestHost.StartAsync(b => b.ConfigureOptions(o => o.Policy.MaxCreatesPerAccountPerMinute = 1));
        var old = await host.CreateTokenAsync("root", "ci", ["list-accts"]); // the minute's one create
        using var client = new PageHttpClient(host);
        await client.LogInAsync("root");
        await client.SessionAsync();

        using var response = await client.SendAsync(HttpMethod.Post, "/tokens/api/tokens/ci/rotate", new { grace_period = 0 }, antiforgery: true);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("rate_limited", (await RotateEndpointTests.ErrorAsync(response)).Code);
        using var still = await host.CallWithTokenAsync("/json-api/listaccts", "root", old);
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    private static async Task<Dictionary<string, bool>> ExpiresSoonAsync(PageTestHost host)
    {
        using var client = new PageHttpClient(host);
        await client.LogInAsync("root");
        using var list = await client.SendAsync(HttpMethod.Get, "/tokens/api/tokens");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using var json = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("tokens").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("expires_soon").GetBoolean());
    }
}
