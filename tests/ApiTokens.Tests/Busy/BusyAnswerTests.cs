using System.Net;
using System.Text.Json.Nodes;
using ApiTokens.Authentication;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Tests.Busy;

/// <summary>
/// A credential that cannot be checked in time is not refused (issue 16, item 4; issue 15, item 1): with every Argon2 worker taken
/// past the queue timeout, or the store unreachable, a valid token gets <c>503 Service Unavailable</c> with <c>Retry-After</c>
/// (problem+json on host routes, a WHM answer on WHM routes), never the 401 or cpsrvd's 403, and works once the node can check it.
/// A wrong secret or an unknown token needs no Argon2 and is still refused, busy or not.
/// </summary>
public sealed class BusyAnswerTests
{
    private const string AccessDenied =
        """{"cpanelresult":{"apiversion":"2","error":"Access denied","data":{"reason":"Access denied","result":"0"},"type":"text"}}""";

    private static string Whm(string token) => "whm root:" + token;

    [Fact]
    public async Task AValidToken_WithNoArgon2WorkerInTime_Gets503WithRetryAfter_OnAHostRoute_NotThe401_ThenWorks()
    {
        await using var host = await BusyHost.StartAsync();
        var first = await host.Host.CreateTokenAsync(host.Root, "first");
        var second = await host.Host.CreateTokenAsync(host.Root, "second");
        var (holder, release) = host.HoldTheWorker(first);

        var busy = await host.GetAsync("/whoami", Whm(second.PlaintextToken));
        release();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.Status);
        Assert.Equal(1, busy.RetryAfterSeconds); // the 200 ms queue timeout, in whole seconds
        Assert.False(busy.Challenged);
        Assert.Equal("application/problem+json", busy.MediaType);
        var problem = JsonNode.Parse(busy.Body)!;
        Assert.Equal(503, (int)problem["status"]!);
        Assert.Equal(Messages.AuthenticationBusy, (string?)problem["detail"]);
        using (var held = await holder)
        {
            Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", Whm(second.PlaintextToken))).Status);
        Assert.Contains(host.Host.Log.Lines, l => l.EventId == 1001 && l.Message.Contains("Busy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AValidToken_WithNoArgon2WorkerInTime_OnAWhmRoute_IsA503WhmAnswer_NeverCpsrvds403()
    {
        await using var host = await BusyHost.StartAsync();
        var first = await host.Host.CreateTokenAsync(host.Root, "first");
        var second = await host.Host.CreateTokenAsync(host.Root, "second");
        var (holder, release) = host.HoldTheWorker(first);

        var api1 = await host.GetAsync("/json-api/api_token_list", Whm(second.PlaintextToken));
        var api0 = await host.GetAsync("/json-api/listpkgs", Whm(second.PlaintextToken));
        release();
        (await holder).Dispose();

        Assert.Equal((HttpStatusCode.ServiceUnavailable, 1), (api1.Status, api1.RetryAfterSeconds!.Value));
        Assert.Equal(
            $$$"""{"metadata":{"command":"api_token_list","version":1,"result":0,"reason":"{{{Messages.AuthenticationBusy}}}"},"data":{}}""",
            api1.Body);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, 1), (api0.Status, api0.RetryAfterSeconds!.Value));
        Assert.Equal($$$"""{"status":0,"statusmsg":"{{{Messages.AuthenticationBusy}}}"}""", api0.Body);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/json-api/listpkgs", Whm(second.PlaintextToken))).Status);
    }

    [Fact]
    public async Task WrongSecrets_AndUnknownTokens_WhileEveryWorkerIsTaken_AreStillRefusals()
    {
        await using var host = await BusyHost.StartAsync();
        var cached = await host.Host.CreateTokenAsync(host.Root, "cached");
        var holding = await host.Host.CreateTokenAsync(host.Root, "holding");
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", Whm(cached.PlaintextToken))).Status);
        var (holder, release) = host.HoldTheWorker(holding);
        var wrongSecret = cached.PlaintextToken[..8] + host.RandomToken()[8..];

        var hostWrong = await host.GetAsync("/whoami", Whm(wrongSecret));
        var hostUnknown = await host.GetAsync("/whoami", Whm(host.RandomToken()));
        var hostNobody = await host.GetAsync("/whoami", "whm nobody:" + host.RandomToken());
        var whmWrong = await host.GetAsync("/json-api/api_token_list", Whm(wrongSecret));
        var whmUnknown = await host.GetAsync("/json-api/api_token_list", Whm(host.RandomToken()));
        var stillCached = await host.GetAsync("/whoami", Whm(cached.PlaintextToken));
        release();
        (await holder).Dispose();

        Assert.All([hostWrong, hostUnknown, hostNobody], a => Assert.Equal((HttpStatusCode.Unauthorized, true, null), (a.Status, a.Challenged, a.RetryAfterSeconds)));
        Assert.All([whmWrong, whmUnknown], a => Assert.Equal((HttpStatusCode.Forbidden, AccessDenied), (a.Status, a.Body)));
        Assert.Equal(HttpStatusCode.OK, stillCached.Status);
        Assert.Equal(1, host.Hasher.Verifies - 1); // the holder's, and the first use of the cached token: nothing else hashed
    }

    [Fact]
    public async Task AnUnreachableStore_Is503WithRetryAfter_OnAHostRouteAndAWhmRoute_NotARefusal()
    {
        await using var host = await BusyHost.StartAsync();
        var token = await host.Host.CreateTokenAsync(host.Root, "token");
        host.Store.Down = true;

        var onHost = await host.GetAsync("/whoami", Whm(token.PlaintextToken));
        var onWhm = await host.GetAsync("/json-api/api_token_list", Whm(token.PlaintextToken));
        host.Store.Down = false;

        Assert.Equal((HttpStatusCode.ServiceUnavailable, 5, false), (onHost.Status, onHost.RetryAfterSeconds!.Value, onHost.Challenged));
        Assert.Equal(Messages.AuthenticationStoreUnavailable, (string?)JsonNode.Parse(onHost.Body)!["detail"]);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, 5), (onWhm.Status, onWhm.RetryAfterSeconds!.Value));
        Assert.Equal(
            $$$"""{"metadata":{"command":"api_token_list","version":1,"result":0,"reason":"{{{Messages.AuthenticationStoreUnavailable}}}"},"data":{}}""",
            onWhm.Body);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", Whm(token.PlaintextToken))).Status);
    }

    [Fact]
    public async Task TheSchemesEvents_SeeTheReasonAndRetryAfter_AndOnChallengeMayAnswerItsOwnWay()
    {
        var failed = new List<(ApiTokenFailureReason, TimeSpan?)>();
        var challenged = new List<(ApiTokenFailureReason, TimeSpan?)>();
        await using var host = await BusyHost.StartAsync(b => b.ConfigureScheme(o =>
        {
            o.Events.OnAuthenticationFailed = c =>
            {
                failed.Add((c.Reason, c.RetryAfter));
                return Task.CompletedTask;
            };
            o.Events.OnChallenge = async c =>
            {
                challenged.Add((c.FailureReason, c.RetryAfter));
                if (c.FailureReason == ApiTokenFailureReason.StoreUnavailable)
                {
                    c.HandleResponse();
                    c.Response.StatusCode = 503;
                    await c.Response.WriteAsync("come back later");
                }
            };
        }));
        var token = await host.Host.CreateTokenAsync(host.Root, "token");

        host.Store.Down = true;
        var down = await host.GetAsync("/whoami", Whm(token.PlaintextToken));
        host.Store.Down = false;
        var unknown = await host.GetAsync("/whoami", Whm(host.RandomToken()));
        var none = await host.GetAsync("/whoami", "Basic cm9vdDpzZWNyZXQ=");

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "come back later"), (down.Status, down.Body));
        Assert.Equal((HttpStatusCode.Unauthorized, true), (unknown.Status, unknown.Challenged));
        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);
        Assert.Equal(
            [(ApiTokenFailureReason.StoreUnavailable, TimeSpan.FromSeconds(5)), (ApiTokenFailureReason.UnknownToken, null)],
            failed);
        Assert.Equal(
            [(ApiTokenFailureReason.StoreUnavailable, TimeSpan.FromSeconds(5)), (ApiTokenFailureReason.UnknownToken, null), (ApiTokenFailureReason.None, null)],
            challenged);
    }

    [Fact]
    public async Task Busy_DoesNotCountAgainstTheClientsLimit()
    {
        await using var host = await BusyHost.StartAsync(b => b.ConfigureOptions(o =>
        {
            o.ClientLimits.ExemptLoopback = false;
            o.ClientLimits.MaxFailures = 1;
        }));
        var first = await host.Host.CreateTokenAsync(host.Root, "first");
        var second = await host.Host.CreateTokenAsync(host.Root, "second");
        var (holder, release) = host.HoldTheWorker(first);
        var busy = new[] { await host.GetAsync("/whoami", Whm(second.PlaintextToken)), await host.GetAsync("/whoami", Whm(second.PlaintextToken)) };
        release();
        (await holder).Dispose();

        Assert.All(busy, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", Whm(second.PlaintextToken))).Status);
    }
}
