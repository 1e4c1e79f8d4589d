using System.Net;
using System.Net.Sockets;
using ApiTokens.Tests.Infrastructure;

namespace ApiTokens.Tests.Authentication;

public sealed class WhmWhitelistTests
{
    [Theory]
    [InlineData(new[] { "127.0.0.1" }, HttpStatusCode.OK)]
    [InlineData(new[] { "127.0.0.0/8" }, HttpStatusCode.OK)]
    [InlineData(new[] { "10.0.0.0/8", "127.0.0.1" }, HttpStatusCode.OK)]
    [InlineData(new[] { "10.0.0.0/8" }, HttpStatusCode.Unauthorized)]
    [InlineData(new[] { "127.0.0.2" }, HttpStatusCode.Unauthorized)]
    [InlineData(new[] { "::1" }, HttpStatusCode.Unauthorized)]
    [InlineData(new[] { "::/0" }, HttpStatusCode.Unauthorized)]
    [InlineData(new[] { "::ffff:127.0.0.1" }, HttpStatusCode.OK)] // the mapped form is the IPv4 address (it never matched here)
    public async Task IPv4Client_IsCheckedAgainstTheWhitelist(string[] whitelist, HttpStatusCode expected)
    {
        await using var server = await WhmTestServer.StartAsync(listenAddress: "127.0.0.1");
        var root = server.Accounts.Add("root", "all");
        var token = await server.CreateTokenAsync(root, "t", whitelist: whitelist);
        Assert.Equal(expected, (await server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken)).StatusCode);
    }

    [Theory]
    [InlineData(new[] { "::1" }, HttpStatusCode.OK)]
    [InlineData(new[] { "::/64" }, HttpStatusCode.OK)]
    [InlineData(new[] { "2001:db8::/32" }, HttpStatusCode.Unauthorized)]
    [InlineData(new[] { "127.0.0.1" }, HttpStatusCode.Unauthorized)]
    public async Task IPv6Client_IsCheckedAgainstTheWhitelist(string[] whitelist, HttpStatusCode expected)
    {
        Assert.True(Socket.OSSupportsIPv6, "IPv6 loopback is needed for this test.");
        await using var server = await WhmTestServer.StartAsync(listenAddress: "::1");
        var root = server.Accounts.Add("root", "all");
        var token = await server.CreateTokenAsync(root, "t", whitelist: whitelist);
        Assert.Equal(expected, (await server.GetAsync("/json-api/listaccts", "root", token.PlaintextToken)).StatusCode);
    }
}
