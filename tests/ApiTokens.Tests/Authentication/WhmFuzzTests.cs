using System.Net;
using System.Text;
using ApiTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Authentication;

/// <summary>Random and adversarial header values never throw and never produce a 500.</summary>
public sealed class WhmFuzzTests
{
    private static readonly string[] Adversarial =
    [
        "", " ", "whm", "whm ", "whm  ", "WHM:", "whm:", "whm :", "whm ::", "whm a:", "whm :b", "whm a:b:c", "whm a::b",
        "whm\troot:X", "whm root :X", "whm root: X", "whm root:X ", "whm  root:X", "whm r\0ot:X", "whm root:\u0001",
        "whm " + new string('a', 5000) + ":x", "whm root:" + new string('A', 5000), "whm " + new string(':', 300),
        "whm root:%00", "whm ../../etc/passwd:x", "whm root:' OR 1=1 --", "whm root:$argon2id$v=19$m=1,t=1,p=1$$",
        "whm root:ABCDEFGH" + new string('0', 24), "whm root:abcdefgh" + new string('0', 24), "whm root:ABCDEFGH" + new string('0', 23),
        "whm ROOT:X", "Basic cm9vdDpwdw==", "Bearer x.y.z", "whmwhm root:x", "whm,whm root:x", "whm root:x, whm root:y",
        "whm \u00e9:x", "whm root:\u00c5\u00c5\u00c5", "whm \ud800:x", "whm root:\udfff", "whm \u202eroot:x", "whm root\r\n:x",
    ];

    [Fact]
    public async Task ThousandsOfRandomAndAdversarialHeaders_NeverThrow_InProcess()
    {
        await using var server = await WhmTestServer.StartAsync();
        var root = server.Accounts.Add("root", "all");
        var real = await server.CreateTokenAsync(root, "real");
        var random = new Random(20261128);
        var inputs = Adversarial
            .Concat(Enumerable.Range(0, 4000).Select(i => RandomHeader(random, real.PlaintextToken)))
            .ToList();

        using var scope = server.Services.CreateScope();
        var auth = scope.ServiceProvider.GetRequiredService<IAuthenticationService>();
        foreach (var header in inputs)
        {
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            context.Connection.RemoteIpAddress = IPAddress.Loopback;
            context.Request.Headers.Authorization = header;
            var result = await auth.AuthenticateAsync(context, "whm");
            Assert.True(result.Succeeded || result.None || result.Failure is not null);
            if (result.Succeeded)
            {
                Assert.Equal("whm root:" + real.PlaintextToken, header.Trim().Replace("WHM", "whm", StringComparison.OrdinalIgnoreCase));
            }
        }

        Assert.DoesNotContain(server.Log.Lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error || l.Exception is not null);
    }

    [Fact]
    public async Task RandomHeadersOverHttp_AreNever500()
    {
        await using var server = await WhmTestServer.StartAsync();
        var root = server.Accounts.Add("root", "all");
        var real = await server.CreateTokenAsync(root, "real");
        var random = new Random(7);
        var inputs = Adversarial.Where(IsSendable)
            .Concat(Enumerable.Range(0, 300).Select(_ => RandomHeader(random, real.PlaintextToken)).Where(IsSendable));

        foreach (var header in inputs)
        {
            var response = await server.GetAsync("/json-api/listaccts", header);
            Assert.True(
                response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest,
                $"{(int)response.StatusCode} for a random header");
            Assert.DoesNotContain("Exception", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(server.Log.Lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    private static bool IsSendable(string header) => header.All(c => c is >= ' ' and <= '~');

    private static string RandomHeader(Random random, string realToken)
    {
        var kind = random.Next(6);
        var length = random.Next(0, kind == 5 ? 700 : 60);
        var sb = new StringBuilder();
        if (kind != 0)
        {
            sb.Append(random.Next(3) switch { 0 => "whm ", 1 => "WHM ", _ => "wHm  " });
        }

        switch (kind)
        {
            case 2:
                sb.Append("root:").Append(Mutate(random, realToken));
                break;
            case 3:
                sb.Append(RandomString(random, random.Next(0, 20), printable: true)).Append(':').Append(Mutate(random, realToken));
                break;
            default:
                sb.Append(RandomString(random, length, printable: kind != 4));
                break;
        }

        return sb.ToString();
    }

    private static string Mutate(Random random, string token)
    {
        var chars = token.ToCharArray();
        var edits = random.Next(0, 4);
        for (var i = 0; i < edits; i++)
        {
            chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
        }

        var result = new string(chars);
        return random.Next(4) switch
        {
            0 => result[..random.Next(result.Length)],
            1 => result + RandomString(random, random.Next(1, 5), printable: true),
            _ => result,
        };
    }

    private static string RandomString(Random random, int length, bool printable)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = printable ? (char)random.Next(32, 127) : (char)random.Next(0, 0xFFFF);
        }

        return new string(chars);
    }
}
