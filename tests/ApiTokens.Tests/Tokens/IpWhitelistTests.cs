using System.Net;
using ApiTokens.Tokens;

namespace ApiTokens.Tests.Tokens;

public sealed class IpWhitelistTests
{
    [Theory]
    [InlineData("192.0.2.10", true)]
    [InlineData("198.51.100.77", true)]
    [InlineData("198.51.101.1", false)]
    [InlineData("::ffff:198.51.100.5", true)]
    [InlineData("2001:db8:1::5", true)]
    [InlineData("2001:db9::1", false)]
    [InlineData("203.0.113.1", false)]
    public void IsAllowed_MatchesAddressesAndRanges(string remote, bool allowed)
    {
        IReadOnlyList<string> list = ["192.0.2.10", "198.51.100.0/24", "2001:db8::/32"];
        Assert.Equal(allowed, IpWhitelist.IsAllowed(list, IPAddress.Parse(remote)));
    }

    [Fact]
    public void IsAllowed_EmptyListAllowsAny_AndNoAddressIsDeniedWhenListed()
    {
        Assert.True(IpWhitelist.IsAllowed(null, IPAddress.Loopback));
        Assert.True(IpWhitelist.IsAllowed([], null));
        Assert.False(IpWhitelist.IsAllowed(["127.0.0.1"], null));
    }

    [Fact]
    public void Normalize_ClearsHostBits()
    {
        var result = IpWhitelist.Normalize(["192.168.1.77/24"]);
        Assert.Equal(["192.168.1.0/24"], result.Value);
    }
}
