using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ApiTokens.Page.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Page.Tests;

/// <summary>
/// "History" over HTTP (these run on every machine): <c>GET /tokens/api/history</c> answers the signed-in account's audit events,
/// and only that account's, newest first and paged; without an audit store it is a 404 and the session says there is no history.
/// </summary>
public sealed class HistoryEndpointTests
{
    [Fact]
    public async Task History_ListsWhatTheSignedInAccountDid_NewestFirst_WithChangedFieldsWhoAndFrom_AndNoSecret()
    {
        await using var host = await PageTestHost.StartWithHistoryAsync();
        using var root = await SignedInAsync(host, "root");
        string token;
        using (var create = await root.SendAsync(HttpMethod.Post, "/tokens/api/tokens", new { name = "ci", acls = new[] { "list-accts" } }, antiforgery: true))
        {
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
            using var json = JsonDocument.Parse(await create.Content.ReadAsStringAsync());
            token = json.RootElement.GetProperty("token").GetString()!;
        }

        using (var update = await root.SendAsync(HttpMethod.Put, "/tokens/api/tokens/ci", new { acls = new[] { "edit-dns" } }, antiforgery: true))
        {
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        }

        string rotated;
        using (var rotate = await root.SendAsync(HttpMethod.Post, "/tokens/api/tokens/ci/rotate", new { grace_period = 3600 }, antiforgery: true))
        {
            Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
            using var json = JsonDocument.Parse(await rotate.Content.ReadAsStringAsync());
            rotated = json.RootElement.GetProperty("token").GetString()!;
        }

        using (var revoke = await root.SendAsync(HttpMethod.Delete, "/tokens/api/tokens/ci", antiforgery: true))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        using var response = await root.SendAsync(HttpMethod.Get, "/tokens/api/history");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var text = await response.Content.ReadAsStringAsync();
        using var history = JsonDocument.Parse(text);
        var events = history.RootElement.GetProperty("events").EnumerateArray().ToArray();
        Assert.Equal(4, history.RootElement.GetProperty("total_count").GetInt32());
        Assert.Equal(["revoked", "rotated", "updated", "created"], events.Select(e => e.GetProperty("action").GetString()));
        Assert.All(events, e =>
        {
            Assert.Equal("ci", e.GetProperty("token_name").GetString());
            Assert.Equal("root", e.GetProperty("actor").GetString());
            Assert.Equal("127.0.0.1", e.GetProperty("remote_address").GetString());
            Assert.Equal(host.Time.GetUtcNow().ToUnixTimeSeconds(), e.GetProperty("time").GetInt64());
        });
        Assert.Equal(["acls"], events[2].GetProperty("changed_fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(host.Time.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), events[1].GetProperty("expires_at").GetInt64());
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(rotated, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_NeverShowsAnotherAccountsEvents()
    {
        await using var host = await PageTestHost.StartWithHistoryAsync();
        await host.CreateTokenAsync("root", "roots-token", ["list-accts"]);
        await host.CreateTokenAsync("reseller", "resellers-token", ["list-accts"]);
        var manager = await host.CreateTokenAsync("reseller", "resellers-manager", [WhmPrivileges.ManageApiTokens]);
        Assert.True((await host.Manager.RevokeAsync(await host.AccountIdAsync("root"), ["roots-token"])).Succeeded);

        using var root = await SignedInAsync(host, "root");
        Assert.Equal(["revoked:roots-token", "created:roots-token"], await HistoryAsync(root));

        using var reseller = await SignedInAsync(host, "reseller");
        Assert.Equal(["created:resellers-manager", "created:resellers-token"], await HistoryAsync(reseller));

        // A script with the reseller's token sees the reseller's history too, and nothing else.
        using var script = new PageHttpClient(host);
        using var response = await script.SendAsync(
            HttpMethod.Get, "/tokens/api/history", authorization: new AuthenticationHeaderValue("whm", $"reseller:{manager}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("roots-token", text, StringComparison.Ordinal);
        Assert.Contains("resellers-token", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_IsPaged_WithSkipAndTake_AndTheTotal()
    {
        await using var host = await PageTestHost.StartWithHistoryAsync();
        foreach (var name in new[] { "t1", "t2", "t3", "t4", "t5" })
        {
            await host.CreateTokenAsync("root", name, ["list-accts"]);
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        using var root = await SignedInAsync(host, "root");

        Assert.Equal(["created:t5", "created:t4"], await HistoryAsync(root, "?skip=0&take=2"));
        Assert.Equal(["created:t3", "created:t2"], await HistoryAsync(root, "?skip=2&take=2"));
        Assert.Equal(["created:t1"], await HistoryAsync(root, "?skip=4&take=2"));
        using var response = await root.SendAsync(HttpMethod.Get, "/tokens/api/history?skip=4&take=2");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(5, json.RootElement.GetProperty("total_count").GetInt32());
        Assert.Equal(4, json.RootElement.GetProperty("skip").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("take").GetInt32());
    }

    [Theory]
    [InlineData("?take=0")]
    [InlineData("?take=501")]
    [InlineData("?take=ten")]
    [InlineData("?skip=-1")]
    [InlineData("?skip=1.5")]
    [InlineData("?skip=99999999999")]
    [InlineData("?take=1&take=2")]
    public async Task History_WithBadPaging_IsRefused400InvalidPaging_SayingWhatToSend(string query)
    {
        await using var host = await PageTestHost.StartWithHistoryAsync();
        using var root = await SignedInAsync(host, "root");

        using var response = await root.SendAsync(HttpMethod.Get, "/tokens/api/history" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await RotateEndpointTests.ErrorAsync(response);
        Assert.Equal("invalid_paging", error.Code);
        Assert.Contains("take (1 to 500)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_WithoutAnAuditStore_Answers404NoHistory_AndTheSessionSaysThereIsNone()
    {
        await using var host = await PageTestHost.StartAsync();
        using var root = await SignedInAsync(host, "root");

        Assert.False((await root.SessionAsync()).GetProperty("has_history").GetBoolean());
        using var response = await root.SendAsync(HttpMethod.Get, "/tokens/api/history");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await RotateEndpointTests.ErrorAsync(response);
        Assert.Equal("no_history", error.Code);
        Assert.Contains("no audit store is registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_WithAnAuditStore_SaysThereIsHistory()
    {
        await using var host = await PageTestHost.StartWithHistoryAsync();
        using var root = await SignedInAsync(host, "root");
        Assert.True((await root.SessionAsync()).GetProperty("has_history").GetBoolean());
    }

    [Fact]
    public async Task History_WhenTheAuditStoreIsDown_Answers503StoreUnavailable_NeverA500()
    {
        await using var host = await PageTestHost.StartAsync(b => b.ConfigureApiTokens(t => t.Services.AddSingleton<IApiTokenAuditStore, DownAuditStore>()));
        using var root = await SignedInAsync(host, "root");

        using var response = await root.SendAsync(HttpMethod.Get, "/tokens/api/history");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("store_unavailable", (await RotateEndpointTests.ErrorAsync(response)).Code);
    }

    [Fact]
    public async Task History_WithoutSignIn_Answers401()
    {
        await using var host = await PageTestHost.StartWithHistoryAsync();
        using var client = new PageHttpClient(host);
        using var response = await client.SendAsync(HttpMethod.Get, "/tokens/api/history");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<PageHttpClient> SignedInAsync(PageTestHost host, string user)
    {
        var client = new PageHttpClient(host);
        await client.LogInAsync(user);
        await client.SessionAsync();
        return client;
    }

    private static async Task<string[]> HistoryAsync(PageHttpClient client, string query = "")
    {
        using var response = await client.SendAsync(HttpMethod.Get, "/tokens/api/history" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("events").EnumerateArray()
            .Select(e => e.GetProperty("action").GetString() + ":" + e.GetProperty("token_name").GetString())
            .ToArray();
    }

    /// <summary>An audit store that cannot be reached: every call throws, as a database that is down.</summary>
    private sealed class DownAuditStore : IApiTokenAuditStore
    {
        public Task AppendAsync(ApiTokenAuditEvent auditEvent, CancellationToken cancellationToken) => throw new TimeoutException("down");

        public Task<ApiTokenAuditPage> QueryAsync(ApiTokenAuditQuery query, CancellationToken cancellationToken) => throw new TimeoutException("down");

        public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => throw new TimeoutException("down");
    }
}
