using ApiTokens.Whm;
using Microsoft.Extensions.Primitives;

namespace ApiTokens.Tests.Whm;

public sealed class WhmApiParametersTests
{
    private static WhmApiParameters Of(params (string Name, string Value)[] pairs) =>
        new(pairs.Select(p => new KeyValuePair<string, StringValues>(p.Name, p.Value)));

    [Fact]
    public void GetList_ReadsWhmNumberedParameters_InNumericOrder()
    {
        var p = Of(("acl-10", "j"), ("acl", "a"), ("acl-2", "c"), ("acl-1", "b"), ("aclx", "no"), ("acl-x", "no"), ("acl-", "no"));
        Assert.Equal(["a", "b", "c", "j"], p.GetList("acl"));
    }

    [Fact]
    public void GetList_IsNullWhenAbsent_AndEmptyWhenGivenEmpty()
    {
        Assert.Null(Of(("other", "1")).GetList("acl"));
        Assert.Empty(Of(("acl", ""), ("acl-1", "  ")).GetList("acl")!);
    }

    [Fact]
    public void QueryAndForm_AreMerged_QueryFirst()
    {
        var p = new WhmApiParameters(
            new[] { new KeyValuePair<string, StringValues>("acl", "q") }
                .Concat([new KeyValuePair<string, StringValues>("acl", "f"), new KeyValuePair<string, StringValues>("token_name", "t")]));
        Assert.Equal(["q", "f"], p.GetList("acl"));
        Assert.Equal("t", p.Get("token_name"));
        Assert.Null(p.Get("TOKEN_NAME")); // names are case-sensitive, as in WHM
    }

    [Theory]
    [InlineData(null, true, false, null)]
    [InlineData("", true, true, null)]
    [InlineData("0", true, true, null)]
    [InlineData("1893456000", true, false, 1893456000L)]
    [InlineData("abc", false, false, null)]
    [InlineData("-1", false, false, null)]
    [InlineData("1e9", false, false, null)]
    [InlineData("253402300800", false, false, null)]
    public void ExpiresAt_IsParsedStrictly(string? raw, bool ok, bool never, long? seconds)
    {
        var p = raw is null ? Of() : Of(("expires_at", raw));
        Assert.Equal(ok, WhmTokenApiHandlers.TryParseExpiry(p, out var expiresAt, out var isNever, out var error));
        Assert.Equal(never, isNever);
        Assert.Equal(seconds, expiresAt?.ToUnixTimeSeconds());
        Assert.Equal(ok, error.Length == 0);
    }

    [Fact]
    public void Envelope_HasWhmsShape()
    {
        Assert.Equal(
            "{\"metadata\":{\"command\":\"api_token_revoke\",\"version\":1,\"result\":0,\"reason\":\"The API token “x” does not exist.\"},\"data\":{}}",
            WhmApiResult.Failure("api_token_revoke", "The API token “x” does not exist.").ToJson());
        Assert.Equal(
            "{\"metadata\":{\"command\":\"c\",\"version\":1,\"result\":1,\"reason\":\"OK\"},\"data\":{\"n\":1}}",
            WhmApiResult.Success("c", w => w.WriteNumber("n", 1)).ToJson());
        Assert.Equal(
            "{\"metadata\":{\"command\":\"c\",\"version\":1,\"result\":1,\"reason\":\"OK\"}}",
            WhmApiResult.SuccessWithoutData("c").ToJson());
        Assert.Contains("\\u003C", WhmApiResult.Failure("c", "<script>").ToJson(), StringComparison.Ordinal);
    }
}
