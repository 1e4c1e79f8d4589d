using System.Net;
using ApiTokens.Redis.Tests.Infrastructure;

namespace ApiTokens.Redis.Tests;

/// <summary>
/// The key scenarios on a real shared database: two nodes, each with its own EF Core context, on one PostgreSQL
/// database and one Redis.
/// </summary>
public sealed class PostgresTwoNodeTests
{
    private const string ListAccts = "/json-api/listaccts";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1);

    [SkippableFact]
    public async Task OnPostgres_TokenRevokedOnA_IsRefusedByB_WithinOneSecond()
    {
        var redis = RedisEnvironment.SharedRedis();
        await using var database = await PostgresDatabase.CreateAsync();
        await using var nodes = await TwoNodes.StartAsync(redis, postgres: database.ConnectionString);
        await nodes.WaitUntilConnectedAsync();
        var root = nodes.Accounts.Add("root", "all");
        var token = await nodes.A.CreateTokenAsync(root, "t", ["list-accts"]);
        await nodes.B.WarmAsync(ListAccts, "root", token.PlaintextToken);

        Assert.True((await nodes.A.WithManagerAsync(m => m.RevokeAsync(root.Id, "t"))).Value);

        await nodes.B.PollUntilAsync(ListAccts, "root", token.PlaintextToken, HttpStatusCode.Unauthorized, Within);
    }

    [SkippableFact]
    public async Task OnPostgres_RevokeAllAndSuspension_AreRefusedByB_WithinOneSecond()
    {
        var redis = RedisEnvironment.SharedRedis();
        await using var database = await PostgresDatabase.CreateAsync();
        await using var nodes = await TwoNodes.StartAsync(redis, postgres: database.ConnectionString);
        await nodes.WaitUntilConnectedAsync();
        var root = nodes.Accounts.Add("root", "all");
        var reseller = nodes.Accounts.Add("reseller", "list-accts");
        var rootToken = await nodes.A.CreateTokenAsync(root, "t", ["list-accts"]);
        var resellerToken = await nodes.A.CreateTokenAsync(reseller, "t", ["list-accts"]);
        await nodes.B.WarmAsync(ListAccts, "root", rootToken.PlaintextToken);
        await nodes.B.WarmAsync(ListAccts, "reseller", resellerToken.PlaintextToken);

        Assert.Equal(1, (await nodes.A.WithManagerAsync(m => m.RevokeAllAsync(root.Id))).Value);
        nodes.Accounts.Update(reseller.Id, isSuspended: true);
        await nodes.A.WithManagerAsync(async m =>
        {
            await m.AccountChangedAsync(reseller.Id);
            return true;
        });

        await nodes.B.PollUntilAsync(ListAccts, "root", rootToken.PlaintextToken, HttpStatusCode.Unauthorized, Within);
        await nodes.B.PollUntilAsync(ListAccts, "reseller", resellerToken.PlaintextToken, HttpStatusCode.Unauthorized, Within);
    }
}
