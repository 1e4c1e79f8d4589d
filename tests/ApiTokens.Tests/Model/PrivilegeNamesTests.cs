using System.Text.RegularExpressions;

namespace ApiTokens.Tests.Model;

public sealed class PrivilegeNamesTests
{
    [Theory]
    [InlineData("list-accts")]
    [InlineData("orders.read")]
    [InlineData("orders:write")]
    [InlineData("Orders.Read")]
    [InlineData("billing_read")]
    [InlineData("a")]
    [InlineData("v2")]
    [InlineData("api:v1.orders:read-all")]
    [InlineData("whm")]
    [InlineData("whmcs:sync")]
    public void NamesAppsUse_AreValid(string name)
    {
        Assert.True(PrivilegeNames.IsValid(name));
        Assert.Matches(PrivilegeNames.Pattern, name);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("orders read")]
    [InlineData(" orders.read")]
    [InlineData("orders.read ")]
    [InlineData(".orders")]
    [InlineData(":orders")]
    [InlineData("-orders")]
    [InlineData("_orders")]
    [InlineData("orders.")]
    [InlineData("orders:")]
    [InlineData("orders/read")]
    [InlineData("orders*")]
    [InlineData("été")]
    [InlineData("orders\tread")]
    [InlineData("whm:orders")]
    [InlineData("WHM:orders")]
    public void OtherNames_AreNot(string name)
    {
        Assert.False(PrivilegeNames.IsValid(name));
        Assert.DoesNotMatch(PrivilegeNames.Pattern, name);
    }

    [Fact]
    public void LengthLimit_Is64()
    {
        Assert.True(PrivilegeNames.IsValid(new string('a', PrivilegeNames.MaxLength)));
        Assert.Matches(PrivilegeNames.Pattern, new string('a', PrivilegeNames.MaxLength));
        Assert.False(PrivilegeNames.IsValid(new string('a', PrivilegeNames.MaxLength + 1)));
        Assert.DoesNotMatch(PrivilegeNames.Pattern, new string('a', PrivilegeNames.MaxLength + 1));
    }

    [Fact]
    public void EveryWhmAcl_FollowsTheRule()
    {
        Assert.All(WhmPrivileges.Catalogue, p => Assert.True(PrivilegeNames.IsValid(p.Name), p.Name));
    }

    [Fact]
    public void Null_IsNotAName()
    {
        Assert.False(PrivilegeNames.IsValid(null));
        _ = Regex.IsMatch("x", PrivilegeNames.Pattern); // the pattern compiles in .NET
    }
}
