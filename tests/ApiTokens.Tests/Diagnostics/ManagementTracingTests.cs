using System.Diagnostics;

namespace ApiTokens.Tests.Diagnostics;

/// <summary>
/// Each management call is one activity of the <c>ApiTokens</c> source, named for the call and tagged with its result: success
/// or the error code in snake case; no tag carries a user, account or token name. Only this test's trace is sampled.
/// </summary>
public sealed class ManagementTracingTests
{
    [Fact]
    public async Task ManagementCalls_AreOneActivityEach_TaggedWithTheirResult_AndNoNames()
    {
        await using var services = new ApiTokensTestHostBuilder().BuildServices();
        var owner = services.Accounts.Add("manageduser", "all");
        var manager = services.Manager;

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

        var created = await manager.CreateAsync(owner.Id, new ApiTokenCreateRequest { Name = "secret-name", Acls = ["list-accts"] });
        Assert.True(created.Succeeded);
        Assert.False((await manager.CreateAsync(owner.Id, new ApiTokenCreateRequest { Name = "secret-name", Acls = ["list-accts"] })).Succeeded);
        Assert.True((await manager.UpdateAsync(owner.Id, "secret-name", new ApiTokenUpdateRequest { NewName = "renamed-secret" })).Succeeded);
        Assert.True((await manager.RotateAsync(owner.Id, "renamed-secret")).Succeeded);
        Assert.False((await manager.RotateAsync(owner.Id, "no-such-token")).Succeeded);
        Assert.True((await manager.RevokeAsync(owner.Id, "renamed-secret")).Succeeded);
        Assert.True((await manager.RevokeAllAsync(owner.Id)).Succeeded);

        string[] seen;
        lock (stopped)
        {
            seen = [.. stopped.Select(a => $"{a.OperationName}={a.GetTagItem("apitokens.management.result")}")];
        }

        Assert.Equal(
            [
                "ApiTokens.Create=success", "ApiTokens.Create=duplicate_name", "ApiTokens.Update=success", "ApiTokens.Rotate=success",
                "ApiTokens.Rotate=token_not_found", "ApiTokens.Revoke=success", "ApiTokens.RevokeAll=success",
            ],
            seen.Where(s => !s.StartsWith("ApiTokens.Hash", StringComparison.Ordinal)));
        Assert.All(stopped.Where(a => a.OperationName != "ApiTokens.Hash"), a => Assert.Equal(test.SpanId, a.ParentSpanId));

        var tags = stopped.SelectMany(a => a.TagObjects).Select(t => $"{t.Key}={t.Value}").ToList();
        Assert.DoesNotContain(tags, t => t.Contains("manageduser", StringComparison.Ordinal) || t.Contains("secret", StringComparison.Ordinal)
            || t.Contains(owner.Id, StringComparison.Ordinal));
    }
}
