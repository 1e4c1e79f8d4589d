using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ApiTokens.Tests.Authentication;

/// <summary>
/// Under credential stuffing the log stays readable: one Debug line per failure under <c>ApiTokens.*</c>, at most one Warning
/// summary a minute, ASP.NET's own per-request lines under <c>Microsoft.AspNetCore.*</c>, and no token in any line.
/// </summary>
public sealed class WhmQuietLogTests
{
    private const int Threshold = ApiTokens.Authentication.WhmFailureSummary.Threshold;

    [Fact]
    public async Task ASpikeOfFailures_LogsOneDebugLineEach_AndOneSummaryInTheWindow()
    {
        await using var host = await StartAsync();
        var (token, wrong) = await CreateTokenAsync(host);
        var before = host.Log.Lines.Count;

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/me", "nobody", token)).StatusCode);
        }

        for (var i = 0; i < Threshold + 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/me", "root", wrong)).StatusCode);
        }

        var lines = host.Log.Lines.Skip(before).ToList();
        var ours = lines.Where(l => l.Category.StartsWith("ApiTokens.", StringComparison.Ordinal)).ToList();
        var failures = ours.Where(l => l.EventId == 1001).ToList();
        Assert.Equal(Threshold + 8, failures.Count);
        Assert.All(failures, l => Assert.Equal(LogLevel.Debug, l.Level));
        Assert.Equal(4, failures.Count(l => l.Message.Contains("UnknownUser for user nobody", StringComparison.Ordinal)));
        Assert.Contains(failures, l => l.Message.Contains("for user root token t from 127.0.0.1", StringComparison.Ordinal));

        var loud = Assert.Single(ours, l => l.Level >= LogLevel.Information);
        Assert.Equal(1002, loud.EventId);
        Assert.Equal(LogLevel.Warning, loud.Level);
        Assert.Contains($"{Threshold} failed attempts", loud.Message, StringComparison.Ordinal);
        Assert.Contains("UnknownUser 4", loud.Message, StringComparison.Ordinal);

        // ASP.NET's own lines for the scheme ("was not authenticated", "was challenged") are ASP.NET's category now.
        var aspNet = lines.Where(l => l.Message.StartsWith("AuthenticationScheme: whm", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(aspNet);
        Assert.All(aspNet, l => Assert.StartsWith("Microsoft.AspNetCore.Authentication.", l.Category, StringComparison.Ordinal));

        Assert.DoesNotContain(token, host.Log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, host.Log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(token[8..], host.Log.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterAWindow_TheNextSpikeGetsOneMoreSummary_CountingEverythingSinceTheLast()
    {
        await using var host = await StartAsync();
        var (token, _) = await CreateTokenAsync(host);
        for (var i = 0; i < Threshold + 2; i++)
        {
            await host.GetAsync("/me", "nobody", token);
        }

        host.Time.Advance(TimeSpan.FromSeconds(30));
        for (var i = 0; i < Threshold; i++)
        {
            await host.GetAsync("/me", "nobody", token);
        }

        Assert.Equal(1, Ours(host, 1002)); // still within a minute of the first summary

        host.Time.Advance(TimeSpan.FromSeconds(31));
        for (var i = 0; i < Threshold; i++)
        {
            await host.GetAsync("/me", "nobody", token);
        }

        var summaries = host.Log.Lines.Where(l => l.EventId == 1002 && l.Category == HandlerCategory).ToList();
        Assert.Equal(2, summaries.Count);
        Assert.Contains($"{Threshold + 2 + Threshold} failed attempts", summaries[1].Message, StringComparison.Ordinal);
        Assert.Equal(3 * Threshold + 2, Ours(host, 1001));
    }

    [Fact]
    public async Task ConcurrentFailures_AreEachLogged_WithExactlyOneSummary()
    {
        await using var host = await StartAsync();
        var (token, _) = await CreateTokenAsync(host);

        var responses = await Task.WhenAll(Enumerable.Range(0, 3 * Threshold).Select(_ => host.GetAsync("/me", "nobody", token)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(3 * Threshold, Ours(host, 1001));
        Assert.Equal(1, Ours(host, 1002));
    }

    [Fact]
    public async Task SuccessfulCachedAndOccasionalFailedRequests_LogNothingAboveDebug_UnderApiTokens()
    {
        await using var host = await StartAsync();
        var (token, wrong) = await CreateTokenAsync(host);
        var before = host.Log.Lines.Count;

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/me", "root", token)).StatusCode); // store and Argon2
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/me", "root", token)).StatusCode); // cached
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/me", "root", wrong)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/me", "whm garbage")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/me", authorization: null)).StatusCode);

        var lines = host.Log.Lines.Skip(before).ToList();
        Assert.DoesNotContain(lines, l => l.Category.StartsWith("ApiTokens", StringComparison.Ordinal) && l.Level > LogLevel.Debug);
        Assert.Equal(2, lines.Count(l => l.EventId == 1001 && l.Category == HandlerCategory));
    }

    private const string HandlerCategory = "ApiTokens.Authentication.WhmTokenHandler";

    private static int Ours(ApiTokensTestHost host, int eventId) => host.Log.Lines.Count(l => l.EventId == eventId && l.Category == HandlerCategory);

    private static Task<ApiTokensTestHost> StartAsync() => new ApiTokensTestHostBuilder()
        .ConfigureApp(app => app.MapGet("/me", (HttpContext c) => c.User.Identity!.Name).RequireAuthorization())
        .StartAsync();

    private static async Task<(string Token, string Wrong)> CreateTokenAsync(ApiTokensTestHost host)
    {
        var root = host.Accounts.Add("root", "all");
        var token = (await host.CreateTokenAsync(root, "t")).PlaintextToken;
        var last = token[^1] == 'A' ? 'B' : 'A';
        return (token, token[..^1] + last);
    }
}
