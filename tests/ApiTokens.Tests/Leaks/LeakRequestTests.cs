using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Leaks;

/// <summary>
/// What the leak endpoint refuses, and how: a bad report is a 400 problem that revokes nothing; a wrong content type 415; another
/// method 405; too many reports 429 with Retry-After; a store outage or a throttled check 503 with Retry-After; never a 500.
/// </summary>
public sealed class LeakRequestTests
{
    private const string Live = "{live}";
    private const string ProblemJson = "application/problem+json";

    public static TheoryData<string, string> BadBodies => new()
    {
        { "", Messages.LeakMalformed },
        { "not json", Messages.LeakMalformed },
        { "[", Messages.LeakMalformed },
        { """["{live}",""", Messages.LeakMalformed },
        { """["{live}",]""", Messages.LeakMalformed },
        { """["{live}"] ["x"]""", Messages.LeakMalformed },
        { "[\"{live}\" // a comment\n]", Messages.LeakMalformed },
        { """{"tokens":["{live}"]}""", Messages.LeakNotArray },
        { """ "{live}" """, Messages.LeakNotArray },
        { """["{live}", 42]""", Messages.LeakValueNotString },
        { """["{live}", null]""", Messages.LeakValueNotString },
        { """[["{live}"]]""", Messages.LeakValueNotString },
        { """["{live}", {"value":"x"}]""", Messages.LeakValueNotString },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadBody_Is400WithASentence_AndRevokesNothing(string body, string expected)
    {
        await using var host = await LeakHost.StartAsync();
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);

        var answer = await host.PostAsync(body.Replace(Live, token.PlaintextToken, StringComparison.Ordinal), "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(ProblemJson, answer.ContentType);
        Assert.Equal(expected, answer.Detail);
        Assert.DoesNotContain(token.PlaintextToken, answer.Body, StringComparison.Ordinal);
        Assert.Equal(0, host.Store.LeakLookups);
        Assert.Equal(HttpStatusCode.OK, await host.TryAsync("root", token.PlaintextToken));
    }

    [Fact]
    public async Task MoreValuesThanTheLimit_Is400_AndRevokesNothing()
    {
        await using var host = await LeakHost.StartAsync(o => o.MaxValues = 3);
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);

        var over = await host.ReportAsync(token.PlaintextToken, "b", "c", "d");

        Assert.Equal(HttpStatusCode.BadRequest, over.Status);
        Assert.Equal(Messages.LeakTooManyValues(3), over.Detail);
        Assert.Equal(HttpStatusCode.OK, await host.TryAsync("root", token.PlaintextToken));

        var atLimit = await host.ReportAsync(token.PlaintextToken, "b", "c");

        Assert.Equal("""{"received":3}""", atLimit.Body);
        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("root", token.PlaintextToken));
    }

    [Fact]
    public async Task BodyLargerThanTheLimit_Is400_AndRevokesNothing()
    {
        await using var host = await LeakHost.StartAsync(o => o.MaxBodySize = 1024);
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);

        var answer = await host.ReportAsync(token.PlaintextToken, new string('A', 1000));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(Messages.LeakBodyTooLarge(1024), answer.Detail);
        Assert.Equal(HttpStatusCode.OK, await host.TryAsync("root", token.PlaintextToken));
    }

    [Fact]
    public async Task BodyWithoutLength_IsRefusedWhileItIsStillBeingSent()
    {
        await using var host = await LeakHost.StartAsync(o => o.MaxBodySize = 1024);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = await RawHttp.ConnectAsync(host.Host, timeout.Token);
        var stream = client.GetStream();

        // A chunked body whose first 2 KiB start an array, and that never ends: a server that read it all before checking
        // would never answer.
        var chunk = "[\"" + new string('A', 2046);
        var head = $"POST {LeakHost.ReportPath} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + $"Transfer-Encoding: chunked\r\n\r\n{chunk.Length:x}\r\n{chunk}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
        await stream.FlushAsync(timeout.Token);

        var answer = await RawHttp.ReadAnswerAsync(stream, timeout.Token);

        Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        Assert.Contains(Messages.LeakBodyTooLarge(1024), answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task BodyThatIsNotJson_Is415(string? contentType)
    {
        await using var host = await LeakHost.StartAsync();
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);

        var answer = await host.PostAsync($"[\"{token.PlaintextToken}\"]", contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, answer.Status);
        Assert.Equal(Messages.LeakNotJson, answer.Detail);
        Assert.Equal(HttpStatusCode.OK, await host.TryAsync("root", token.PlaintextToken));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task OtherMethods_Are405(string method)
    {
        await using var host = await LeakHost.StartAsync();

        using var request = new HttpRequestMessage(new HttpMethod(method), LeakHost.ReportPath);
        using var response = await host.Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task FallbackPolicyRequiringAuthentication_DoesNotStopAnonymousReports()
    {
        await using var host = await LeakHost.StartAsync(customize: b => b
            .ConfigureServices(s => s.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build()))
            .ConfigureApp(app => app.MapGet("/open", () => "open")));
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        using (var open = await host.Host.GetAsync("/open", authorization: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, open.StatusCode); // the fallback policy is in force
        }

        var answer = await host.ReportAsync(token.PlaintextToken);

        Assert.Equal(HttpStatusCode.Accepted, answer.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("root", token.PlaintextToken));
    }

    [Fact]
    public async Task ReportsOverTheAddressLimit_Are429WithRetryAfter_AndRevokeNothing()
    {
        await using var host = await LeakHost.StartAsync(o =>
        {
            o.PermitsPerAddress = 2;
            o.PermitsPerWindow = 0;
        });
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        Assert.Equal(HttpStatusCode.Accepted, (await host.ReportAsync("a")).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await host.ReportAsync("b")).Status);

        var refused = await host.ReportAsync(token.PlaintextToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal(ProblemJson, refused.ContentType);
        Assert.Equal(Messages.LeakRateLimited, refused.Detail);
        Assert.InRange(int.Parse(refused.RetryAfter!, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(HttpStatusCode.OK, await host.TryAsync("root", token.PlaintextToken));
        Assert.Equal(0, host.Store.LeakLookups);
    }

    [Fact]
    public async Task ReportsOverTheOverallLimit_Are429()
    {
        await using var host = await LeakHost.StartAsync(o =>
        {
            o.PermitsPerAddress = 0;
            o.PermitsPerWindow = 3;
        });

        // Values of the token format (the overall limit counts only reports worth a lookup), from addresses of their own.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await host.ReportFromAsync("192.0.2." + i, host.RandomToken())).Status);
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task DefaultLimit_IsTenReportsPerAddress()
    {
        await using var host = await LeakHost.StartAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            statuses.Add((await host.ReportAsync("x")).Status);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Accepted, 10).Append(HttpStatusCode.TooManyRequests), statuses);
    }

    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64")]
    public void Addresses_AreLimitedPerIPv4AddressAndPerIPv6Slash64(string address, string partition) =>
        Assert.Equal(partition, LeakRateLimiter.PartitionKey(IPAddress.Parse(address)));

    [Fact]
    public async Task StoreDown_Is503WithRetryAfter_ThenTheSameReportRevokes()
    {
        await using var host = await LeakHost.StartAsync(o => o.UnavailableRetryAfter = TimeSpan.FromSeconds(30));
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        host.Store.Down = true;

        var down = await host.ReportAsync(token.PlaintextToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.Status);
        Assert.Equal(ProblemJson, down.ContentType);
        Assert.Equal("30", down.RetryAfter);
        Assert.Equal(Messages.LeakUnavailable, down.Detail);
        Assert.Equal(1, host.Host.Log.Count(1704));
        Assert.Equal(HttpStatusCode.Accepted, (await host.ReportAsync("not a token")).Status); // nothing to look up

        host.Store.Down = false;
        Assert.Equal(HttpStatusCode.Accepted, (await host.ReportAsync(token.PlaintextToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("root", token.PlaintextToken));
    }

    [Fact]
    public async Task WrongValuesForASelector_AreThrottledForReports_WithoutLockingTheOwnerOut()
    {
        await using var host = await LeakHost.StartAsync(options: o => o.Verification.MaxFailuresPerSelector = 2);
        var root = host.Host.Accounts.Add("root", "all");
        var token = await host.Host.CreateTokenAsync(root, "deploy", ["list-accts"]);
        var selector = token.Token.Selector;
        Assert.Equal(HttpStatusCode.Accepted, (await host.ReportAsync(selector + new string('0', 24))).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await host.ReportAsync(selector + new string('1', 24))).Status);
        host.Hasher.Reset();

        var throttled = await host.ReportAsync(token.PlaintextToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, throttled.Status);
        Assert.Equal("60", throttled.RetryAfter);
        Assert.Equal(0, host.Hasher.VerifyCalls);
        Assert.Equal(1, host.Host.Log.Count(1703));
        Assert.Equal(HttpStatusCode.OK, await host.TryAsync("root", token.PlaintextToken)); // its owner still gets in

        host.Host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Accepted, (await host.ReportAsync(token.PlaintextToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await host.TryAsync("root", token.PlaintextToken));
    }

    [Theory]
    [InlineData(0, 64 * 1024)]
    [InlineData(100, 10)]
    public async Task OptionsOutOfRange_AreRefusedWhenMapped(int maxValues, long maxBodySize)
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();

        var error = Assert.Throws<ArgumentException>(() => app.MapLeakedTokenRevocation("/leaked", o =>
        {
            o.MaxValues = maxValues;
            o.MaxBodySize = maxBodySize;
        }));

        Assert.Contains("LeakedTokenRevocationOptions.", error.Message, StringComparison.Ordinal);
    }
}
