using System.Net;
using ApiTokens.Tests.Legacy;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.NegativeCache;

/// <summary>
/// Negative lookups are cheap (issue 15, item 3): a flood of made-up tokens for a real user costs two token lookups and one
/// listing of the account's selectors, then nothing for 30 seconds; an unknown user one account read. Each answer is the refusal
/// the store would have led to, and a change to the account (a new or imported token, on any node) is seen at once.
/// </summary>
public sealed class NegativeLookupTests
{
    private static readonly TimeSpan Lifetime = NegativeLookupCache.DefaultLifetime;

    [Fact]
    public async Task RandomTokens_ForARealUser_CostTwoLookupsAndOneListing_ThenNothingWithinTheLifetime_WithTheSameRefusal()
    {
        await using var host = await NegativeCacheHost.StartAsync();
        var real = await host.Host.CreateTokenAsync(host.Root, "real");
        host.ResetCounts();

        var hostRefusal = await host.ObserveAsync("/whoami", "whm root:" + host.RandomToken());
        var whmRefusal = await host.ObserveAsync("/json-api/api_token_list", "whm root:" + host.RandomToken());
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(hostRefusal, await host.ObserveAsync("/whoami", "whm root:" + host.RandomToken()));
            Assert.Equal(whmRefusal, await host.ObserveAsync("/json-api/api_token_list", "whm root:" + host.RandomToken()));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, hostRefusal.Status);
        Assert.Equal("whm", hostRefusal.Challenge);
        Assert.Equal(HttpStatusCode.Forbidden, whmRefusal.Status);
        Assert.Contains("Access denied", whmRefusal.Body, StringComparison.Ordinal);
        Assert.Equal((2, 1), (host.Store.FindBySelectorCalls, host.Store.ListCalls));
        Assert.Equal(4, host.AccountReads.Reads); // by name, then by id, for each of the two that asked the store
        Assert.Equal(0, host.Host.Hasher.VerifyCalls);

        host.ResetCounts();
        host.Host.Time.Advance(Lifetime - TimeSpan.FromSeconds(1));
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(hostRefusal, await host.ObserveAsync("/whoami", "whm root:" + host.RandomToken()));
        }

        Assert.Equal((0, 0), (host.Store.Lookups, host.AccountReads.Reads));

        // The account's real token is in the directory: read and proven as usual.
        Assert.Equal(HttpStatusCode.OK, (await host.ObserveAsync("/whoami", "whm root:" + real.PlaintextToken)).Status);
        Assert.Equal((1, 1), (host.Store.FindBySelectorCalls, host.Host.Hasher.VerifyCalls));
    }

    [Fact]
    public async Task OneUnknownToken_CostsTheOneLookupItAlwaysDid_AndAfterTheLifetime_TheStoreIsAskedAgain()
    {
        await using var host = await NegativeCacheHost.StartAsync();
        host.ResetCounts();

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.ObserveAsync("/whoami", "whm root:" + host.RandomToken())).Status);
        Assert.Equal((1, 0), (host.Store.FindBySelectorCalls, host.Store.ListCalls));

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.ObserveAsync("/whoami", "whm root:" + host.RandomToken())).Status);
        Assert.Equal((2, 1), (host.Store.FindBySelectorCalls, host.Store.ListCalls));

        host.Host.Time.Advance(Lifetime);
        host.ResetCounts();
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.ObserveAsync("/whoami", "whm root:" + host.RandomToken())).Status);
        Assert.Equal((1, 0), (host.Store.FindBySelectorCalls, host.Store.ListCalls));
    }

    [Fact]
    public async Task AnUnknownUser_IsOneAccountRead_ThenRefusedWithoutOne_UntilAnyAccountChanges()
    {
        await using var host = await NegativeCacheHost.StartAsync();
        host.ResetCounts();

        var first = await host.ObserveAsync("/whoami", "whm nobody:" + host.RandomToken());
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(first, await host.ObserveAsync("/whoami", "whm nobody:" + host.RandomToken()));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, first.Status);
        Assert.Equal((1, 0), (host.AccountReads.Reads, host.Store.Lookups));

        // The account appears, with a token; account creation is the host's and says nothing, so the refusal may stand until a
        // change to any account is applied (here: the host tells the manager about the new account) or the lifetime ends.
        var nobody = host.Host.Accounts.Add("nobody", "all");
        var token = await host.Host.CreateTokenAsync(nobody, "first");
        await host.Host.Manager.AccountChangedAsync(nobody.Id);
        Assert.Equal(HttpStatusCode.OK, (await host.ObserveAsync("/whoami", "whm nobody:" + token.PlaintextToken)).Status);

        var late = await host.ObserveAsync("/whoami", "whm latecomer:" + host.RandomToken());
        Assert.Equal(HttpStatusCode.Unauthorized, late.Status);
        var latecomer = host.Host.Accounts.Add("latecomer", "all");
        var lateToken = await host.Host.CreateTokenAsync(latecomer, "first");
        host.Host.Time.Advance(Lifetime);
        Assert.Equal(HttpStatusCode.OK, (await host.ObserveAsync("/whoami", "whm latecomer:" + lateToken.PlaintextToken)).Status);
    }

    [Fact]
    public async Task ATokenCreatedAfterTheDirectoryWasFilled_WorksAtOnce_BecauseTheCreateChangesTheAccount()
    {
        await using var host = await NegativeCacheHost.StartAsync();
        await host.ObserveAsync("/whoami", "whm root:" + host.RandomToken());
        await host.ObserveAsync("/whoami", "whm root:" + host.RandomToken());

        var created = await host.Host.CreateTokenAsync(host.Root, "created");

        Assert.Equal(HttpStatusCode.OK, (await host.ObserveAsync("/whoami", "whm root:" + created.PlaintextToken)).Status);
    }

    [Fact]
    public async Task AnImportedCpanelToken_WorksRightAfterFailedTriesOfItsValue_BecauseTheImportChangesTheAccount()
    {
        await using var host = await LegacyHost.StartAsync();
        var value = CpanelTokenFile.NewToken();
        var file = new CpanelTokenFile().Add("deploy", token: value);
        host.Store.Reset();

        for (var i = 0; i < 3; i++)
        {
            using var refused = await host.GetAsync("/whoami", "whm root:" + value);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        Assert.Equal(2, host.Store.FindBySelectorCalls); // the third try was refused from the account's directory

        var (code, _, stderr) = await host.CliAsync(null, "tokens", "import-whm", file.WriteTo("root.json"));
        Assert.True(code == 0, stderr);

        using var accepted = await host.GetAsync("/whoami", "whm root:" + value);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task ARevokedToken_IsRefusedAtOnce_ThenFromTheDirectory()
    {
        await using var host = await NegativeCacheHost.StartAsync();
        var token = await host.Host.CreateTokenAsync(host.Root, "doomed");
        Assert.Equal(HttpStatusCode.OK, (await host.ObserveAsync("/whoami", "whm root:" + token.PlaintextToken)).Status);
        await host.ObserveAsync("/whoami", "whm root:" + host.RandomToken());
        await host.ObserveAsync("/whoami", "whm root:" + host.RandomToken());

        Assert.True((await host.Host.Manager.RevokeAsync(host.Root.Id, "doomed")).Succeeded);
        host.ResetCounts();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.ObserveAsync("/whoami", "whm root:" + token.PlaintextToken)).Status);
        }

        Assert.Equal((2, 1), (host.Store.FindBySelectorCalls, host.Store.ListCalls));
        Assert.Equal(0, host.Host.Hasher.VerifyCalls);
    }

    [Fact]
    public async Task UnknownUsersFromAFlood_TakeAtMostTheCacheSizeLimit()
    {
        await using var host = await NegativeCacheHost.StartAsync(b => b.ConfigureOptions(o => o.Cache.SizeLimit = 10));

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.ObserveAsync("/whoami", $"whm user{i}:" + host.RandomToken())).Status);
        }

        Assert.InRange(host.Host.Services.GetRequiredService<VerifyCache>().Negative.Count, 1, 10);
    }
}
