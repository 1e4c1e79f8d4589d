using System.Net;

namespace ApiTokens.Tests.Model;

public sealed class IpWhitelistTests
{
    // An IPv4 client on a dual-mode socket arrives as ::ffff:a.b.c.d. IPv6 entries must not admit it on its embedded IPv4 part
    // (which IPNetwork.Contains compares for a mapped address); an IPv6 range that covers the mapped address itself does.
    [Theory]
    [InlineData("2001:db8:1234::c633:640a", "::ffff:198.51.100.10", false)]
    [InlineData("2001:db8::/97", "::ffff:10.1.1.1", false)]
    [InlineData("64:ff9b::1.2.3.4", "::ffff:1.2.3.4", false)]
    [InlineData("::1.2.3.0/120", "::ffff:1.2.3.4", false)]
    [InlineData("::ffff:0:0/96", "::ffff:1.2.3.4", true)]
    [InlineData("::/64", "::ffff:1.2.3.4", true)]
    [InlineData("192.0.2.0/24", "::ffff:192.0.2.5", true)]
    [InlineData("192.0.2.0/24", "::ffff:192.0.3.5", false)]
    public void MappedIPv4Client_IsMatchedAsIPv4AgainstIPv4Entries_AndAsItselfAgainstIPv6Entries(string entry, string remote, bool allowed)
    {
        Assert.Equal(allowed, IpWhitelist.Matches(IpWhitelist.Parse([entry]), IPAddress.Parse(remote)));
    }

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

    [Theory]
    [InlineData("192.168.1.77/24")]
    [InlineData("192.0.2.9/29")]
    [InlineData("2001:db8::1/64")]
    public void Normalize_RefusesARangeWithHostBits_RatherThanMaskIt(string range)
    {
        var result = IpWhitelist.Normalize([range], 100);
        Assert.False(result.Succeeded);
        Assert.Equal(range, result.InvalidEntry);
        Assert.NotNull(result.MaskedRange);
    }

    [Fact]
    public void Normalize_KeepsARangeWithoutHostBits()
    {
        Assert.Equal(["192.0.2.8/29", "2001:db8::/64"], IpWhitelist.Normalize(["2001:db8::/64", "192.0.2.8/29"], 100).Entries);
    }

    [Theory]
    [InlineData("192.0.2.10", "192.0.2.10")]
    [InlineData("198.51.100.0/24", "198.51.100.0/24")]
    [InlineData("fc00:abcd::f", "fc00:abcd:0000:0000:0000:0000:0000:000f")]
    [InlineData("2001:db8::/32", "2001:0db8:0000:0000:0000:0000:0000:0000/32")]
    [InlineData("::1", "0000:0000:0000:0000:0000:0000:0000:0001")]
    [InlineData("::ffff:1.2.3.4", "0000:0000:0000:0000:0000:ffff:0102:0304")]
    public void ToWhmForm_WritesIpv6InFull(string stored, string written)
    {
        Assert.Equal(written, IpWhitelist.ToWhmForm(stored));
    }
}
