using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Legacy;

/// <summary>
/// The legacy path costs nothing until legacy rows exist, and garbage never costs more than an unknown token: over-long headers
/// are malformed with no store call while none are stored; with some stored, legacy-length garbage is one indexed read, no Argon2.
/// </summary>
public sealed class LegacyCostTests
{
    private static string Garbage(int length) => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", length);

    [Fact]
    public async Task OverLongHeader_WithNoLegacyTokensStored_IsRefusedWithoutAStoreCall()
    {
        await using var host = await LegacyHost.StartAsync();
        var native = await host.Host.CreateTokenAsync(host.Root, "native");
        Assert.Equal(1, host.Store.LegacyQuestions); // asked once, when the app started

        // The create changed the account (a node may have remembered it had no such selector), so the next unknown value asks
        // once more whether imported tokens are stored; then the negative lookup it left is let expire.
        await ImportWhmHttpTests.ObserveAsync(host, "whm root:" + CpanelTokenFile.NewToken());
        host.Host.Time.Advance(NegativeLookupCache.DefaultLifetime);
        host.Store.Reset();
        host.Host.Hasher.Reset();

        var unknown = await ImportWhmHttpTests.ObserveAsync(host, "whm root:" + CpanelTokenFile.NewToken());
        var unknownCalls = host.Store.Calls;
        host.Store.Reset();
        var longHeader = await ImportWhmHttpTests.ObserveAsync(host, "WHM root:" + Garbage(960));
        var otherFormat = await ImportWhmHttpTests.ObserveAsync(host, "whm root:" + Garbage(100));

        Assert.Equal(HttpStatusCode.Unauthorized, longHeader.Status);
        Assert.Equal(unknown, longHeader);
        Assert.Equal(unknown, otherFormat);
        Assert.Equal(0, host.Store.Calls);
        Assert.Equal(1, unknownCalls); // an unknown native token: one read, and no legacy lookup while none are stored
        Assert.Equal(0, host.Host.Hasher.VerifyCalls);
        using var ok = await host.GetAsync("/whoami", "whm root:" + native.PlaintextToken);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task LegacyLengthGarbage_WhileLegacyTokensAreStored_CostsOneStoreReadAndNoArgon2()
    {
        await using var host = await LegacyHost.StartAsync();
        var accessHash = ConvertAccessHashTests.NewAccessHash();
        Assert.Equal(0, (await host.CliAsync(accessHash, "tokens", "convert-accesshash", "--user", "reseller")).ExitCode);
        var native = await host.Host.CreateTokenAsync(host.Root, "native");
        host.Store.Reset();
        host.Host.Hasher.Reset();

        var unknown = await ImportWhmHttpTests.ObserveAsync(host, "whm root:" + CpanelTokenFile.NewToken()[..8] + "Z");
        host.Store.Reset();
        var garbage = await ImportWhmHttpTests.ObserveAsync(host, "WHM root:" + Garbage(960));

        Assert.Equal(unknown, garbage);
        Assert.Equal(1, host.Store.Calls); // the digest-selector read
        Assert.Equal(0, host.Host.Hasher.VerifyCalls);
        Assert.Equal(0, host.Host.Hasher.HashCalls);

        // A native-format value no native row has: one more indexed read while legacy rows exist, still no Argon2.
        host.Store.Reset();
        var nativeGarbage = await ImportWhmHttpTests.ObserveAsync(host, "whm root:" + CpanelTokenFile.NewToken());
        Assert.Equal(unknown, nativeGarbage);
        Assert.Equal(2, host.Store.FindBySelectorCalls);
        Assert.Equal(0, host.Host.Hasher.VerifyCalls);

        // A native token that is found never touches the legacy path: one read, one Argon2.
        host.Store.Reset();
        using var ok = await host.GetAsync("/whoami", "whm root:" + native.PlaintextToken);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(1, host.Store.Calls);
        Assert.Equal(1, host.Host.Hasher.VerifyCalls);
    }

    [Fact]
    public async Task AnImportOnAnotherNode_IsSeenAfterTheAccountChangeReachesThisOne()
    {
        await using var host = await LegacyHost.StartAsync();
        var file = new CpanelTokenFile().Add("elsewhere");
        Assert.Equal(1, host.Store.LegacyQuestions);

        // Another node imported straight into the shared store; this node has not been told yet.
        var token = file["elsewhere"];
        var sha = CpanelTokenFile.Sha512Hex(token);
        await host.Stored.CreateAsync(
            new ApiToken
            {
                Id = Guid.NewGuid(),
                AccountId = host.Root.Id,
                Name = "elsewhere",
                Selector = "~" + sha[..30],
                SecretHash = "$sha512$" + sha,
                CreatedAt = ApiTokensTestHostBuilder.DefaultStart,
                ConcurrencyStamp = "x",
            },
            CancellationToken.None);
        using (var before = await host.GetAsync("/whoami", "whm root:" + token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, before.StatusCode);
        }

        // What a backplane delivers for the import: an account change. The next request reads the index again first.
        host.Host.Services.GetRequiredService<ApiTokenCacheControl>().ApplyAccountChange(host.Root.Id);
        using var after = await host.GetAsync("/whoami", "whm root:" + token);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(2, host.Store.LegacyQuestions);
    }

    [Fact]
    public async Task WithoutABackplane_AnImportElsewhere_IsSeenWithinTheRefreshInterval()
    {
        await using var host = await LegacyHost.StartAsync(b => b.ConfigureOptions(o => o.LegacyTokenRefreshInterval = TimeSpan.FromMinutes(1)));
        var index = host.Host.Services.GetRequiredService<LegacyTokenIndex>();
        var sha = CpanelTokenFile.Sha512Hex(CpanelTokenFile.NewToken());
        await host.Stored.CreateAsync(
            TestTokens.New(host.Root.Id, "elsewhere", "~" + sha[..30]) with { SecretHash = "$sha512$" + sha },
            CancellationToken.None);

        Assert.False(index.MayExist);
        host.Host.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.False(index.MayExist); // due: this read starts the refresh in the background
        await index.RefreshAsync();

        Assert.True(index.MayExist);
    }
}
