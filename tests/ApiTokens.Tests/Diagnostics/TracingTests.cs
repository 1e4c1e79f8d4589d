using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Diagnostics;

/// <summary>
/// The <c>ApiTokens</c> activity source: a verification the cache did not answer is one <c>ApiTokens.Verify</c> activity with
/// its Argon2 run as a child <c>ApiTokens.Hash</c>; a cached verification starts none. Only this test's trace is sampled, so
/// tests running alongside do not interfere.
/// </summary>
public sealed class TracingTests
{
    [Fact]
    public async Task SlowPath_IsOneVerifyActivity_WithTheArgon2RunAsItsChild_AndTheCachedPathStartsNone()
    {
        await using var services = new ApiTokensTestHostBuilder().BuildServices();
        var root = services.Accounts.Add("traceduser", "all");
        var created = await services.CreateTokenAsync(root, "traced-token", ["list-accts"]);
        var verifier = services.Services.GetRequiredService<ApiTokenVerifier>();

        using var test = new Activity("test").Start();
        var trace = test.TraceId;
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "ApiTokens",
            Sample = (ref ActivityCreationOptions<ActivityContext> o) =>
                o.Parent.TraceId == trace ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = a =>
            {
                lock (stopped)
                {
                    stopped.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var first = await verifier.VerifyAsync("traceduser", created.PlaintextToken, IPAddress.Loopback);
        Assert.True(first.Succeeded);
        var verify = Assert.Single(stopped, a => a.OperationName == "ApiTokens.Verify");
        Assert.Equal(test.SpanId, verify.ParentSpanId);
        Assert.Equal("success", verify.GetTagItem("apitokens.verification.result"));
        var hash = Assert.Single(stopped, a => a.OperationName == "ApiTokens.Hash");
        Assert.Equal(verify.SpanId, hash.ParentSpanId);
        Assert.Equal("verify", hash.GetTagItem("apitokens.hashing.operation"));
        Assert.Equal(2, stopped.Count);

        var cached = await verifier.VerifyAsync("traceduser", created.PlaintextToken, IPAddress.Loopback);
        Assert.True(cached.Succeeded);
        Assert.Equal(2, stopped.Count);

        // Nothing that names the user, the token or the address is on an activity.
        var tags = stopped.SelectMany(a => a.TagObjects).Select(t => $"{t.Key}={t.Value}").ToList();
        Assert.DoesNotContain(tags, t => t.Contains("traceduser", StringComparison.Ordinal) || t.Contains("traced-token", StringComparison.Ordinal)
            || t.Contains(created.Token.Selector, StringComparison.Ordinal) || t.Contains("127.0.0.1", StringComparison.Ordinal));
    }
}
