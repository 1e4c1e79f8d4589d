using System.Net;
using ApiTokens.Tests.Infrastructure;

namespace ApiTokens.Tests.Authentication;

public sealed class WhmHandlerSmokeTests
{
    [Fact]
    public async Task ValidToken_HoldingPrivilege_Gets200()
    {
        await using var server = await WhmTestServer.StartAsync();
        var root = server.Accounts.Add("root", "all");
        var created = await server.CreateTokenAsync(root, "t", ["list-accts"]);

        var ok = await server.GetAsync("/json-api/listaccts", "root", created.PlaintextToken);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var forbidden = await server.GetAsync("/json-api/killacct", "root", created.PlaintextToken);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("kill-acct", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var anonymous = await server.GetAsync("/json-api/listaccts", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
