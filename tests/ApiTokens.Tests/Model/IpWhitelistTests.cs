using System.Net;

namespace ApiTokens.Tests.Model;

public sealed class IpWhitelistTests
{
    // An IPv4 client is an IPv4 client whatever the listener: on a dual-mode socket it arrives as ::ffff:a.b.c.d, on an IPv4 one
    // as a.b.c.d, and both are matched as the IPv4 address against IPv4 entries only; an entry written in the mapped form is the
    // IPv4 address or range it maps (issue 15: ::/0 admitted every IPv4 client on a dual-stack listener, while a ::ffff:a.b.c.d
    // entry never matched on an IPv4 listener).
    [Theory]
    [InlineData("2001:db8:1234::c633:640a", "198.51.100.10", false)]
    [InlineData("2001:db8::/97", "10.1.1.1", false)]
    [InlineData("64:ff9b::1.2.3.4", "1.2.3.4", false)]
    [InlineData("::1.2.3.0/120", "1.2.3.4", false)]
    [InlineData("::/0", "1.2.3.4", false)]
    [InlineData("::/64", "1.2.3.4", false)]
    [InlineData("::ffff:0:0/96", "1.2.3.4", true)]
    [InlineData("::ffff:192.0.2.10", "192.0.2.10", true)]
    [InlineData("::ffff:192.0.2.0/120", "192.0.2.99", true)]
    [InlineData("::ffff:192.0.2.0/120", "192.0.3.1", false)]
    [InlineData("192.0.2.0/24", "192.0.2.5", true)]
    [InlineData("192.0.2.0/24", "192.0.3.5", false)]
    public void AnIPv4Client_IsMatchedTheSameOnAnIPv4AndADualStackListener(string entry, string client, bool allowed)
    {
        var list = IpWhitelist.Parse([entry]);
        Assert.Equal(allowed, IpWhitelist.Matches(list, IPAddress.Parse(client)));
        Assert.Equal(allowed, IpWhitelist.Matches(list, IPAddress.Parse(client).MapToIPv6()));
    }

    [Theory]
    [InlineData("::/0", "2001:db8::1", true)]
    [InlineData("::ffff:0:0/96", "2001:db8::1", false)]
    public void AnIPv6Client_IsMatchedAgainstIPv6Entries(string entry, string client, bool allowed)
    {
        Assert.Equal(allowed, IpWhitelist.Matches(IpWhitelist.Parse([entry]), IPAddress.Parse(client)));
    }

    [Theory]
    [InlineData("::ffff:192.0.2.10", "192.0.2.10")]
    [InlineData("::ffff:192.0.2.0/120", "192.0.2.0/24")]
    [InlineData("::ffff:0:0/96", "0.0.0.0/0")]
    public void AnEntryInTheIPv4MappedForm_IsStoredAsIPv4(string entry, string stored)
    {
        Assert.Equal([stored], IpWhitelist.Normalize([entry], 100).Entries);
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
    [InlineData("::ffff:1.2.3.4", "1.2.3.4")]
    public void ToWhmForm_WritesIpv6InFull(string stored, string written)
    {
        Assert.Equal(written, IpWhitelist.ToWhmForm(stored));
    }
}
