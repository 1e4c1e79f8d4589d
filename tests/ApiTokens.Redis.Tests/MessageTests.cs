using System.Text;
using System.Text.Json;
using ApiTokens.Redis.Internal;

namespace ApiTokens.Redis.Tests;

/// <summary>The wire format, without Redis: what a node sends, and what it makes of what it receives.</summary>
public sealed class MessageTests
{
    [Fact]
    public void AnAccountChange_OnTheWire_CarriesNodeKindAndAccountOnly()
    {
        var payload = RedisBackplaneMessage.Serialize(new RedisBackplaneMessage("node", RedisBackplaneMessage.AccountChanged, "acct-1"));

        using var json = JsonDocument.Parse(payload);
        Assert.Equal(["n", "k", "a"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("account", json.RootElement.GetProperty("k").GetString());
    }

    [Fact]
    public void ATokenMessageFromAnOlderNode_IsReadAsAnAccountChange()
    {
        var message = RedisBackplaneMessage.Parse("""{"n":"old-node","k":"token","a":"acct-1","s":"selector"}"""u8);

        Assert.NotNull(message);
        Assert.Equal(RedisBackplaneMessage.AccountChanged, message.Kind);
        Assert.Equal("acct-1", message.AccountId);
    }

    [Theory]
    [InlineData("""{"n":"x","k":"clear"}""", RedisBackplaneMessage.ClearAll)]
    [InlineData("""{"n":"x","k":"account","a":"acct-1"}""", RedisBackplaneMessage.AccountChanged)]
    [InlineData("""{"n":"x","k":"probe","p":"p1"}""", RedisBackplaneMessage.Probe)]
    public void WellFormedMessages_AreRead(string payload, string kind) =>
        Assert.Equal(kind, RedisBackplaneMessage.Parse(Encoding.UTF8.GetBytes(payload))?.Kind);

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{}")]
    [InlineData("""{"k":"clear"}""")]
    [InlineData("""{"n":"x"}""")]
    [InlineData("""{"n":"x","k":"unknown"}""")]
    [InlineData("""{"n":"x","k":"account"}""")]
    [InlineData("""{"n":"x","k":"token"}""")]
    [InlineData("""{"n":"x","k":"probe"}""")]
    public void MalformedMessages_AreRejected(string payload) =>
        Assert.Null(RedisBackplaneMessage.Parse(Encoding.UTF8.GetBytes(payload)));
}
