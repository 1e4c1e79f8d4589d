using System.Net;
using System.Text.Json;
using ApiTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace ApiTokens.Tests.Policy;

/// <summary>
/// <c>ApiTokens:Policy:MaxCreatesPerAccountPerMinute</c> (issue 15, finding 1): one caller holding <c>manage-api-tokens</c>
/// cannot keep every Argon2 slot busy with creates; other accounts are not affected.
/// </summary>
public sealed class CreateRateTests
{
    [Fact]
    public async Task CreatesPastTheAccountsLimit_AreRefusedWithoutHashing_AndStoreNothing_WhileOtherAccountsCreate()
    {
        await using var server = await WhmTestServer.StartAsync(o => o.Policy.MaxCreatesPerAccountPerMinute = 3, map: app => app.MapWhmTokenApi());
        var flooder = server.Accounts.Add("flooder", "manage-api-tokens", "list-accts");
        var other = server.Accounts.Add("other", "manage-api-tokens");
        var first = await server.Manager.CreateAsync(flooder.Id, new ApiTokenCreateRequest { Name = "t0" });
        for (var i = 1; i < 3; i++)
        {
            Assert.True((await server.Manager.CreateAsync(flooder.Id, new ApiTokenCreateRequest { Name = "t" + i })).Succeeded);
        }

        server.Hasher.Reset();
        var refused = await server.Manager.CreateAsync(flooder.Id, new ApiTokenCreateRequest { Name = "t3" });
        Assert.Equal(ApiTokenErrorCode.RateLimited, refused.Error?.Code);
        Assert.Equal(0, server.Hasher.HashCalls);
        Assert.Equal(3, (await server.Manager.ListAsync(flooder.Id)).Items.Count);

        // Over WHM's call: result 0 with the sentence; another account still creates.
        using (var response = await server.GetAsync("/json-api/api_token_create?api.version=1&token_name=t4", "flooder", first.Value!.PlaintextToken))
        {
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(0, answer.RootElement.GetProperty("metadata").GetProperty("result").GetInt32());
            Assert.Equal(
                "This account has asked for 3 new API token values in the last minute, the most this server allows. Nothing was stored; try again in a minute.",
                answer.RootElement.GetProperty("metadata").GetProperty("reason").GetString());
        }

        Assert.True((await server.Manager.CreateAsync(other.Id, new ApiTokenCreateRequest { Name = "fine" })).Succeeded);
    }

    [Fact]
    public async Task RefusedCreates_CountToo_AndPastTheLimitACreateReadsNothing()
    {
        await using var server = await WhmTestServer.StartAsync(o => o.Policy.MaxCreatesPerAccountPerMinute = 3);
        var flooder = server.Accounts.Add("flooder", "manage-api-tokens");
        Assert.True((await server.Manager.CreateAsync(flooder.Id, new ApiTokenCreateRequest { Name = "taken" })).Succeeded);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(ApiTokenErrorCode.DuplicateName, (await server.Manager.CreateAsync(flooder.Id, new ApiTokenCreateRequest { Name = "taken" })).Error?.Code);
        }

        server.Store.ResetCounts();
        var refused = await server.Manager.CreateAsync(flooder.Id, new ApiTokenCreateRequest { Name = "taken" });

        Assert.Equal(ApiTokenErrorCode.RateLimited, refused.Error?.Code);
        Assert.Equal(0, server.Store.Reads); // a flood of creates with a taken name costs the store nothing past the limit
        Assert.Equal(ApiTokenErrorCode.RateLimited, (await server.Manager.RotateAsync(flooder.Id, "taken")).Error?.Code);
    }

    [Fact]
    public async Task ZeroTurnsTheLimitOff()
    {
        await using var server = await WhmTestServer.StartAsync(o => o.Policy.MaxCreatesPerAccountPerMinute = 0);
        var root = server.Accounts.Add("root", "all");
        for (var i = 0; i < 40; i++)
        {
            Assert.True((await server.Manager.CreateAsync(root.Id, new ApiTokenCreateRequest { Name = "t" + i })).Succeeded);
        }
    }
}
