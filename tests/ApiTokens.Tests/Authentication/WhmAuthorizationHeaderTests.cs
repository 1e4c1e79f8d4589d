using ApiTokens.Authentication;

namespace ApiTokens.Tests.Authentication;

public sealed class WhmAuthorizationHeaderTests
{
    [Theory]
    [InlineData("whm root:TOKEN", "root", "TOKEN")]
    [InlineData("WHM root:TOKEN", "root", "TOKEN")]
    [InlineData("whm   root:TOKEN  ", "root", "TOKEN")]
    [InlineData("whm root:TO:KEN", "root", "TO:KEN")]
    public void Parses_SplittingAtTheFirstColon(string header, string user, string token)
    {
        Assert.Equal(WhmAuthorizationHeader.Outcome.Parsed, WhmAuthorizationHeader.TryParseHeader(header, 512, 128, out var u, out var t));
        Assert.Equal(user, header[u]);
        Assert.Equal(token, header[t]);
    }

    [Theory]
    [InlineData("Basic abc")]
    [InlineData("whmx root:a")]
    [InlineData("wh")]
    [InlineData("")]
    public void OtherSchemes_AreNotOurs(string header) =>
        Assert.Equal(WhmAuthorizationHeader.Outcome.NotWhm, WhmAuthorizationHeader.TryParseHeader(header, 512, 128, out _, out _));

    [Theory]
    [InlineData("whm")]
    [InlineData("whm ")]
    [InlineData("whm root")]
    [InlineData("whm :TOKEN")]
    [InlineData("whm root:")]
    [InlineData("whm ro ot:TOKEN")]
    [InlineData("whm root:TO\u0007KEN")]
    [InlineData("whm r\u00f6ot:TOKEN")]
    public void Malformed_IsRefused(string header) =>
        Assert.Equal(WhmAuthorizationHeader.Outcome.Malformed, WhmAuthorizationHeader.TryParseHeader(header, 512, 128, out _, out _));

    [Fact]
    public void OverLongHeadersAndUserNames_AreRefused()
    {
        Assert.Equal(WhmAuthorizationHeader.Outcome.Malformed, WhmAuthorizationHeader.TryParseHeader("whm root:" + new string('A', 600), 512, 128, out _, out _));
        Assert.Equal(WhmAuthorizationHeader.Outcome.Malformed, WhmAuthorizationHeader.TryParseHeader("whm " + new string('u', 129) + ":T", 512, 128, out _, out _));
    }
}
