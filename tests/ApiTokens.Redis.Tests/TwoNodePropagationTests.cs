using System.Net;
using ApiTokens.Redis.Tests.Infrastructure;

namespace ApiTokens.Redis.Tests;

/// <summary>
/// Two real nodes (Kestrel, separate containers and caches) on one database and one Redis: a change made on A
/// is refused by B within one second although B had the token cached.
/// </summary>
public sealed class TwoNodePropagationTests
{
    private const string ListAccts = "/json-api/listaccts";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1);

    [SkippableFact]
    public async Task WithoutBackplane_TokenRevokedOnA_IsStillAcceptedByB_UntilTheCacheLifetimeEnds()
    {
        // The bound without Redis: B trusts its cached entry for ApiTokenCacheOptions.Lifetime.
        await using var nodes = await TwoNodes.StartAsync(redis: null);
        var root = nodes.Accounts.Add("root", "all");
        var token = await nodes.A.CreateTokenAsync(root, "t", ["list-accts"]);
        await nodes.B.WarmAsync(ListAccts, "root", token.PlaintextToken);

        Assert.True((await nodes.A.WithManagerAsync(m => m.RevokeAsync(root.Id, "t"))).Value);

        Assert.Equal(HttpStatusCode.Unauthorized, await nodes.A.GetAsync(ListAccts, "root", token.PlaintextToken));
        Assert.Equal(HttpStatusCode.OK, await nodes.B.GetAsync(ListAccts, "root", token.PlaintextToken));
        nodes.B.Time.Advance(nodes.B.CacheLifetime);
        Assert.Equal(HttpStatusCode.Unauthorized, await nodes.B.GetAsync(ListAccts, "root", token.PlaintextToken));
    }

    [SkippableFact]
    public async Task TokenRevokedOnA_IsRefusedByB_WithinOneSecond()
    {
        await using var warm = await WarmTokenAsync();
        var (nodes, s, r) = (warm.Nodes, warm.Owner, warm.Token);

        Assert.True((await nodes.A.WithManagerAsync(m => m.RevokeAsync(s.Id, "t"))).Value);

        await nodes.B.PollUntilAsync(ListAccts, "root", r.PlaintextToken, HttpStatusCode.Unauthorized, Within);
    }

    [SkippableFact]
    public async Task RevokeAllOnA_IsRefusedByB_WithinOneSecond()
    {
        await using var nodes = await TwoNodes.StartAsync(RedisEnvironment.SharedRedis());
        await nodes.WaitUntilConnectedAsync();
        var root = nodes.Accounts.Add("root", "all");
        var first = await nodes.A.CreateTokenAsync(root, "first", ["list-accts"]);
        var second = await nodes.A.CreateTokenAsync(root, "second");
        await nodes.B.WarmAsync(ListAccts, "root", first.PlaintextToken);
        await nodes.B.WarmAsync(ListAccts, "root", second.PlaintextToken);

        Assert.Equal(2, (await nodes.A.WithManagerAsync(m => m.RevokeAllAsync(root.Id))).Value);

        await nodes.B.PollUntilAsync(ListAccts, "root", first.PlaintextToken, HttpStatusCode.Unauthorized, Within);
        await nodes.B.PollUntilAsync(ListAccts, "root", second.PlaintextToken, HttpStatusCode.Unauthorized, Within);
    }

    [SkippableFact]
    public async Task AclChangedOnA_IsEnforcedByB_WithinOneSecond()
    {
        await using var warm = await WarmTokenAsync();
        var (nodes, s, r) = (warm.Nodes, warm.Owner, warm.Token);
        Assert.Equal(HttpStatusCode.Forbidden, await nodes.B.GetAsync("/json-api/createacct", "root", r.PlaintextToken));

        var updated = await nodes.A.WithManagerAsync(m => m.UpdateAsync(s.Id, "t", new ApiTokenUpdateRequest { Acls = ["create-acct"] }));
        Assert.True(updated.Succeeded, updated.Error?.Message);

        await nodes.B.PollUntilAsync(ListAccts, "root", r.PlaintextToken, HttpStatusCode.Forbidden, Within);
        Assert.Equal(HttpStatusCode.OK, await nodes.B.GetAsync("/json-api/createacct", "root", r.PlaintextToken));
    }

    [SkippableFact]
    public async Task AccountSuspended_IsRefusedByB_WithinOneSecond()
    {
        await using var warm = await WarmTokenAsync();
        var (nodes, s, r) = (warm.Nodes, warm.Owner, warm.Token);

        nodes.Accounts.Update(s.Id, isSuspended: true);
        await nodes.A.WithManagerAsync(async m =>
        {
            await m.AccountChangedAsync(s.Id);
            return true;
        });

        await nodes.B.PollUntilAsync(ListAccts, "root", r.PlaintextToken, HttpStatusCode.Unauthorized, Within);
    }

    [SkippableFact]
    public async Task AccountLosesPrivilege_IsEnforcedByB_WithinOneSecond()
    {
        await using var warm = await WarmTokenAsync(ownerPrivileges: ["list-accts", "create-acct"]);
        var (nodes, s, r) = (warm.Nodes, warm.Owner, warm.Token);

        nodes.Accounts.Update(s.Id, privileges: ["create-acct"]);
        await nodes.A.WithManagerAsync(async m =>
        {
            await m.AccountChangedAsync(s.Id);
            return true;
        });

        await nodes.B.PollUntilAsync(ListAccts, "reseller", r.PlaintextToken, HttpStatusCode.Forbidden, Within);
    }

    [SkippableFact]
    public async Task AccountDeleted_IsRefusedByB_WithinOneSecond()
    {
        await using var warm = await WarmTokenAsync();
        var (nodes, s, r) = (warm.Nodes, warm.Owner, warm.Token);

        nodes.Accounts.Remove(s.Id);
        var revoked = await nodes.A.WithManagerAsync(m => m.AccountDeletedAsync(s.Id));
        Assert.Equal(1, revoked.Value);

        await nodes.B.PollUntilAsync(ListAccts, "root", r.PlaintextToken, HttpStatusCode.Unauthorized, Within);
    }

    [SkippableFact]
    public async Task ChangeOnB_IsRefusedByA_WithinOneSecond()
    {
        await using var warm = await WarmTokenAsync();
        var (nodes, s, r) = (warm.Nodes, warm.Owner, warm.Token);
        await nodes.A.WarmAsync(ListAccts, "root", r.PlaintextToken);

        Assert.True((await nodes.B.WithManagerAsync(m => m.RevokeAsync(s.Id, "t"))).Value);

        await nodes.A.PollUntilAsync(ListAccts, "root", r.PlaintextToken, HttpStatusCode.Unauthorized, Within);
    }

    /// <summary>Two connected nodes, one account, one token (list-accts) warm on both.</summary>
    private static async Task<WarmToken> WarmTokenAsync(string[]? ownerPrivileges = null)
    {
        var nodes = await TwoNodes.StartAsync(RedisEnvironment.SharedRedis());
        await nodes.WaitUntilConnectedAsync();
        var owner = ownerPrivileges is null ? nodes.Accounts.Add("root", "all") : nodes.Accounts.Add("reseller", ownerPrivileges);
        var token = await nodes.A.CreateTokenAsync(owner, "t", ["list-accts"]);
        await nodes.A.WarmAsync(ListAccts, owner.UserName, token.PlaintextToken);
        await nodes.B.WarmAsync(ListAccts, owner.UserName, token.PlaintextToken);
        return new WarmToken(nodes, owner, token);
    }

    private sealed record WarmToken(TwoNodes Nodes, ApiTokenAccount Owner, CreatedApiToken Token) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Nodes.DisposeAsync();
    }
}
