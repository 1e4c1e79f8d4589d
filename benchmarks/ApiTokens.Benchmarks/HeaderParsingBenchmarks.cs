using System.Text;
using ApiTokens.Authentication;
using ApiTokens.Benchmarks.Infrastructure;
using BenchmarkDotNet.Attributes;

namespace ApiTokens.Benchmarks;

/// <summary>
/// Parsing alone: <c>whm user:token</c> split and checked (header, then token format), against decoding a basic-auth
/// header the way a basic handler must (base64 to UTF-8 string, split at the colon).
/// </summary>
[MemoryDiagnoser]
public class HeaderParsingBenchmarks
{
    private string _whm = null!;
    private string _basic = null!;
    private ApiTokenFormat _format = null!;

    [GlobalSetup]
    public void Setup()
    {
        _format = new ApiTokenFormat(new ApiTokenFormatOptions());
        _whm = "whm root:" + _format.Generate().Value;
        _basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("root:correct horse battery staple 42"));
        if (WhmHeader() <= 0 || BasicHeader() <= 0)
        {
            throw new InvalidOperationException("parse failed");
        }
    }

    [Benchmark(Baseline = true, Description = "whm header + token format")]
    public int WhmHeader()
    {
        var outcome = WhmAuthorizationHeader.TryParseHeader(_whm, 4096, 255, out var user, out var token);
        if (outcome != WhmAuthorizationHeader.Outcome.Parsed || !_format.TryParse(_whm.AsSpan(token), out var selector, out var secret))
        {
            return -1;
        }

        return _whm.AsSpan(user).Length + selector.Length + secret.Length;
    }

    [Benchmark(Description = "basic header decode")]
    public int BasicHeader()
    {
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(_basic[6..]));
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return decoded[..colon].Length + decoded[(colon + 1)..].Length;
    }
}
