using System.Net;

namespace ApiTokens.Tests.Model;

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
        var list = IpWhitelist.Parse(["192.0.2.10", "198.51.100.0/24", "2001:db8::/32"]);
        Assert.Equal(allowed, IpWhitelist.Matches(list, IPAddress.Parse(remote)));
    }

    [Fact]
    public void Matches_NoListAllowsAny_ListedDeniesUnknownAddress_CorruptEntriesAllowNothing()
    {
        Assert.True(IpWhitelist.Matches(null, IPAddress.Loopback));
        Assert.False(IpWhitelist.Matches(IpWhitelist.Parse(["127.0.0.1"]), null));
        Assert.False(IpWhitelist.Matches(IpWhitelist.Parse(["not-an-address"]), IPAddress.Loopback)); // a corrupt stored entry allows nothing
    }

    [Fact]
    public void Normalize_ClearsHostBits()
    {
        var result = IpWhitelist.Normalize(["192.168.1.77/24"], 100);
        Assert.Equal(["192.168.1.0/24"], result.Entries);
    }
}
