using Microsoft.Extensions.Options;

namespace ApiTokens.Tests.Model;

public sealed class ApiTokenFormatTests
{
    [Fact]
    public void Default_IsCpanelFormat_WithAnEightCharacterSelector()
    {
        var format = new ApiTokenFormat(new ApiTokenFormatOptions());
        var generated = format.Generate();

        Assert.Matches("^[0-9A-Z]{32}$", generated.Value);
        Assert.Equal(generated.Value[..8], generated.Selector);
        Assert.Equal(generated.Value[8..], generated.Secret);
        Assert.True(format.TryParse(generated.Value, out var selector, out var secret));
        Assert.Equal(generated.Selector, selector.ToString());
        Assert.Equal(generated.Secret, secret.ToString());
    }

    [Fact]
    public void Generate_UsesTheWholeAlphabet_AndDoesNotRepeat()
    {
        var format = new ApiTokenFormat(new ApiTokenFormatOptions());
        var tokens = Enumerable.Range(0, 2000).Select(_ => format.Generate().Value).ToList();
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
        var seen = tokens.SelectMany(t => t).ToHashSet();
        Assert.Equal(36, seen.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ABC")]
    [InlineData("abcdefghabcdefghabcdefghabcdefgh")] // lower case
    [InlineData("ABCDEFGHABCDEFGHABCDEFGHABCDEFG-")]
    [InlineData("ABCDEFGHABCDEFGHABCDEFGHABCDEFGHX")] // 33
    public void TryParse_RejectsWhatCannotBeAToken(string value)
    {
        var format = new ApiTokenFormat(new ApiTokenFormatOptions());
        Assert.False(format.TryParse(value, out _, out _));
    }

    [Fact]
    public void PrefixAndChecksum_RejectForgedOrMistypedTokens_BeforeAnyLookup()
    {
        var format = new ApiTokenFormat(new ApiTokenFormatOptions { Prefix = "myapp_", Checksum = true });
        var token = format.Generate().Value;

        Assert.StartsWith("myapp_", token, StringComparison.Ordinal);
        Assert.Equal(6 + 32 + 6, token.Length);
        Assert.True(format.TryParse(token, out var selector, out _));
        Assert.Equal(token[6..14], selector.ToString());

        var body = token.ToCharArray();
        body[10] = body[10] == 'A' ? 'B' : 'A';
        Assert.False(format.TryParse(new string(body), out _, out _));
        Assert.False(format.TryParse("other_" + token[6..], out _, out _));
    }

    [Fact]
    public void Options_ThatLeaveTooFewSecretCharacters_AreRejected()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new ApiTokenFormat(new ApiTokenFormatOptions { Length = 30, SelectorLength = 8 }));
        Assert.Contains("at least 24 secret characters", ex.Message, StringComparison.Ordinal);
    }
}
