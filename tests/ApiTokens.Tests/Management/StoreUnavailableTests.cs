using System.Net;
using System.Text.Json;
using ApiTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace ApiTokens.Tests.Management;

public sealed class StoreUnavailableTests
{
    [Fact]
    public async Task ManagerWrites_ReturnStoreUnavailable_AndReadsThrowTheTypedException()
    {
        var store = new CountingStore(new ApiTokens.InMemoryApiTokenStore());
        using var f = new ManagerFixture(store: store);
        await f.CreateAsync(f.Root, "kept");
        store.Down = true;

        Assert.Equal(ApiTokenErrorCode.StoreUnavailable, (await f.Manager.CreateAsync(f.Root.Id, new ApiTokenCreateRequest { Name = "x" })).Error?.Code);
        Assert.Equal(ApiTokenErrorCode.StoreUnavailable, (await f.Manager.UpdateAsync(f.Root.Id, "kept", new ApiTokenUpdateRequest { NewName = "y" })).Error?.Code);
        Assert.Equal(ApiTokenErrorCode.StoreUnavailable, (await f.Manager.RevokeAsync(f.Root.Id, ["kept"])).Error?.Code);
        Assert.Equal(ApiTokenErrorCode.StoreUnavailable, (await f.Manager.RevokeAllAsync(f.Root.Id)).Error?.Code);
        var ex = await Assert.ThrowsAsync<ApiTokenStoreUnavailableException>(() => f.Manager.ListAsync(f.Root.Id));
        Assert.Contains("unavailable", ex.Message, StringComparison.Ordinal);

        store.Down = false;
        Assert.Equal(["kept"], (await f.Manager.ListAsync(f.Root.Id)).Items.Select(t => t.Name));
    }

    [Fact]
    public async Task WhmApi_WithTheStoreDown_AnswersTheEnvelopeWithAReason_NotA500()
    {
        await using var server = await WhmTestServer.StartAsync(map: app => app.MapWhmTokenApi());
        var root = server.Accounts.Add("root", "all");
        var token = await server.CreateTokenAsync(root, "t");
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/json-api/api_token_list", "root", token.PlaintextToken)).StatusCode);
        server.Store.Down = true;

        foreach (var call in new[] { "api_token_list", "api_token_create?token_name=x", "api_token_revoke?token_name=t" })
        {
            var response = await server.GetAsync("/json-api/" + call, "root", token.PlaintextToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(0, body.GetProperty("metadata").GetProperty("result").GetInt32());
            Assert.Contains("unavailable", body.GetProperty("metadata").GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnAccountDeletionThatFailsInTheStore_StillLeavesNoCachedTokenOfItAlive()
    {
        // Issue 15, finding 3: the cache was cleared only after the store's delete succeeded, so when the host had already
        // removed the account and the token delete failed, the account's cached token kept answering 200 for the cache lifetime.
        await using var server = await WhmTestServer.StartAsync();
        var bob = server.Accounts.Add("bob", "list-accts");
        var token = await server.CreateTokenAsync(bob, "t");
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/whoami", "bob", token.PlaintextToken)).StatusCode); // cached now

        server.Accounts.Remove(bob.Id);
        server.Store.Down = true;
        Assert.Equal(ApiTokenErrorCode.StoreUnavailable, (await server.Manager.AccountDeletedAsync(bob.Id)).Error?.Code);
        server.Store.Down = false;

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.GetAsync("/whoami", "bob", token.PlaintextToken)).StatusCode);
    }
}
