using ApiTokens.Redis.Tests.Infrastructure;

namespace ApiTokens.Redis.Tests;

/// <summary>What the backplane writes to the log (no Redis needed: nothing listens where it connects).</summary>
public sealed class LoggingTests
{
    private const string Password = "hunter2-do-not-log";

    [Fact]
    public async Task DegradedWarning_NamesTheChannelAndReason_NeverThePassword()
    {
        await using var node = await WhmNode.StartAsync(
            "A",
            new InMemoryApiTokenStore(),
            new InMemoryAccountProvider(),
            $"127.0.0.1:1,password={Password},connectTimeout=200",
            o => o.ChannelName = "apitokens:logging-test");

        await node.WaitForLogAsync(6001, TimeSpan.FromSeconds(15));

        var warning = Assert.Single(node.Log.Lines, l => l.EventId == 6001);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Contains("apitokens:logging-test", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, node.Log.AllText, StringComparison.Ordinal);
        Assert.True(node.Backplane!.IsDegraded);
    }
}
