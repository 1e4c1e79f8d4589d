namespace ApiTokens.Tests.Model;

public sealed class UnixTimeTests
{
    [Theory]
    [InlineData("", true, null)]
    [InlineData("  ", true, null)]
    [InlineData("0", true, null)]
    [InlineData(" 0 ", true, null)]
    [InlineData("00", true, 0L)] // read as given: 1970, which the manager then refuses as not in the future (as WHM does)
    [InlineData("1893456000", true, 1893456000L)]
    [InlineData("253402300799", true, 253402300799L)]
    [InlineData("253402300800", false, null)]
    [InlineData("-5", false, null)]
    [InlineData("1e9", false, null)]
    [InlineData("abc", false, null)]
    public void TryParse_ReadsWhmExpiries(string text, bool ok, long? seconds)
    {
        Assert.Equal(ok, UnixTime.TryParse(text, out var value));
        Assert.Equal(seconds, value?.ToUnixTimeSeconds());
    }

    [Theory]
    [InlineData(null, true, null)]
    [InlineData(0L, true, null)]
    [InlineData(1893456000L, true, 1893456000L)]
    [InlineData(-1L, false, null)]
    [InlineData(253402300800L, false, null)]
    public void TryFromSeconds_ZeroOrNoneIsNever(long? input, bool ok, long? seconds)
    {
        Assert.Equal(ok, UnixTime.TryFromSeconds(input, out var value));
        Assert.Equal(seconds, value?.ToUnixTimeSeconds());
    }
}
