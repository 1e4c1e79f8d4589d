using System.Net;
using ApiTokens.Tests.Infrastructure;
using ApiTokens.Tests.Legacy;

namespace ApiTokens.Tests.Rotation;

/// <summary>
/// What a verification of a previous value never writes: a previous hash with weak parameters is not rehashed, and a previous
/// value that is a cPanel credential (SHA-512, digest selector) is proven whole and not upgraded, because the row's current hash
/// and selector belong to the new value. The new value keeps working after the old one is used.
/// </summary>
public sealed class PreviousHashTests
{
    [Fact]
    public async Task APreviousHashWithWeakParameters_IsVerifiedButNeverRehashed_SoTheNewValueKeepsWorking()
    {
        await using var server = await WhmTestServer.StartAsync(o => o.Cache.Enabled = false);
        var root = server.Accounts.Add("root", "all");
        var old = (await server.CreateTokenAsync(root, "deploy")).PlaintextToken;
        var rotated = (await server.Manager.RotateAsync(root.Id, "deploy", TimeSpan.FromHours(1))).Value!;
        var weakHasher = new Argon2ApiTokenHasher(new Argon2HashingOptions { MemoryCost = 32, TimeCost = 1, Parallelism = 1 });
        var stored = (await server.Store.FindByNameAsync(root.Id, "deploy", default))!;
        var weak = stored with { PreviousSecretHash = weakHasher.Hash(old[8..]), ConcurrencyStamp = "weak" };
        Assert.Equal(ApiTokenStoreResult.Success, await server.Store.UpdateAsync(weak, stored.ConcurrencyStamp, default));

        using var oldAnswer = await server.GetAsync("/json-api/listaccts", "root", old);
        using var newAnswer = await server.GetAsync("/json-api/listaccts", "root", rotated.PlaintextToken);

        Assert.Equal(HttpStatusCode.OK, oldAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newAnswer.StatusCode);
        Assert.Equal(weak, await server.Store.FindByNameAsync(root.Id, "deploy", default)); // nothing written
        Assert.Equal(0, server.Log.Count(1102));
    }

    [Fact]
    public async Task AnImportedTokenRotatedBeforeItsFirstUse_ItsCpanelValueWorksForTheGracePeriod_WithoutAnUpgrade_ThenStops()
    {
        await using var host = await LegacyHost.StartAsync(b => b.ConfigureOptions(o => o.Cache.Enabled = false));
        var file = new CpanelTokenFile().Add("deploy");
        Assert.Equal(0, (await host.CliAsync(null, "tokens", "import-whm", file.WriteTo("root.json"))).ExitCode);
        var imported = Assert.Single(await host.RowsAsync(host.Root.Id));
        var rotated = await host.Host.Manager.RotateAsync(host.Root.Id, "deploy", TimeSpan.FromHours(1));
        Assert.True(rotated.Succeeded, rotated.Error?.Message);
        var row = Assert.Single(await host.RowsAsync(host.Root.Id));
        Assert.Equal(imported.Selector, row.PreviousSelector); // the digest selector and the SHA-512 are the previous value now
        Assert.Equal(imported.SecretHash, row.PreviousSecretHash);

        using (var oldAnswer = await host.GetAsync("/whoami", "whm root:" + file["deploy"]))
        using (var newAnswer = await host.GetAsync("/whoami", "whm root:" + rotated.Value.PlaintextToken))
        {
            Assert.Equal(HttpStatusCode.OK, oldAnswer.StatusCode);
            Assert.Equal(HttpStatusCode.OK, newAnswer.StatusCode);
        }

        Assert.Equal(row, Assert.Single(await host.RowsAsync(host.Root.Id))); // neither upgraded nor moved to the old value's selector
        Assert.Equal(0, host.Host.Log.Count(1201));

        host.Host.Time.Advance(TimeSpan.FromHours(1));
        using var late = await host.GetAsync("/whoami", "whm root:" + file["deploy"]);
        using var still = await host.GetAsync("/whoami", "whm root:" + rotated.Value.PlaintextToken);
        Assert.Equal(HttpStatusCode.Unauthorized, late.StatusCode);
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }
}
