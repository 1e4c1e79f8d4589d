using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WhmAdmin.Tests;

/// <summary>
/// What the sample's account functions never let happen, over the real sample on Kestrel: root is not an account any call can
/// name (not even for an account granted <c>all</c>), a removed reseller's accounts pass to root, and listaccts' search time
/// limit holds for the whole call.
/// </summary>
public sealed class AccountSafetyTests : IAsyncLifetime
{
    private SampleHost _host = null!;
    private string _root = null!;

    public async Task InitializeAsync()
    {
        _host = await SampleHost.StartAsync();
        _root = await _host.CreateTokenWithCliAsync("root", "bootstrap");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static int Result(JsonElement e) => e.GetProperty("metadata").GetProperty("result").GetInt32();

    private static string Reason(JsonElement e) => e.GetProperty("metadata").GetProperty("reason").GetString()!;

    private Task<JsonElement> RootAsync(string function, params (string Name, string Value)[] form) => _host.CallAsync(function, "root", _root, form);

    /// <summary>Creates <paramref name="user"/> as root and gives it <paramref name="acls"/> with setacls; returns a token of it.</summary>
    private async Task<string> CreateAccountAsync(string user, params string[] acls)
    {
        var created = await RootAsync("createacct", ("username", user), ("domain", user + ".example.com"));
        Assert.True(Result(created) == 1, Reason(created));
        var set = await RootAsync("setacls", [("reseller", user), .. acls.Select(a => ("acl-" + a, "1"))]);
        Assert.True(Result(set) == 1, Reason(set));
        return await _host.CreateTokenWithCliAsync(user, "main");
    }

    /// <summary>Every account function that names an account, with the parameters that name root (and a change to make).</summary>
    public static readonly (string Function, (string Name, string Value)[] Form)[] CallsNamingRoot =
    [
        ("suspendacct", [("user", "root"), ("reason", "taken over")]),
        ("unsuspendacct", [("user", "root")]),
        ("modifyacct", [("user", "root"), ("contactemail", "eve@eve.example.com")]),
        ("modifyacct", [("user", "root")]),
        ("setacls", [("reseller", "root"), ("acl-list-accts", "1")]),
        ("setacls", [("user", "root"), ("acl-list-accts", "1")]),
        ("removeacct", [("username", "root")]),
        ("removeacct", [("user", "root")]),
    ];

    [Theory]
    [InlineData("eve")] // holds all, made with setacls reseller=eve acl-all=1
    [InlineData("root")]
    public async Task EveryAccountFunction_NamingRoot_IsNoSuchAccount_AndRootIsUnchanged(string caller)
    {
        var token = caller == "root" ? _root : await CreateAccountAsync("eve", "all");

        foreach (var (function, form) in CallsNamingRoot)
        {
            var answer = await _host.CallAsync(function, caller, token, form);
            Assert.True(Result(answer) == 0, $"{function} {string.Join('&', form.Select(f => f.Name + "=" + f.Value))}: {answer}");
            Assert.Equal("The account “root” does not exist.", Reason(answer));

            // WHM API 0 too.
            using var api0 = await _host.SendAsync(HttpMethod.Post, "/json-api/" + function, caller, token, form);
            Assert.Equal(HttpStatusCode.OK, api0.StatusCode);
            Assert.Equal("""{"result":[{"status":0,"statusmsg":"The account “root” does not exist."}]}""", await api0.Content.ReadAsStringAsync());
        }

        // root is still root, active and holding all: its token works and it can still call setacls (which needs all).
        var stillRoot = await RootAsync("setacls", ("reseller", "reseller"), ("acl-list-accts", "1"));
        Assert.True(Result(stillRoot) == 1, Reason(stillRoot));
        var list = await RootAsync("listaccts", ("want", "user,owner"));
        Assert.All(list.GetProperty("data").GetProperty("acct").EnumerateArray(), a => Assert.Equal("root", a.GetProperty("owner").GetString()));
    }

    [Fact]
    public async Task Removeacct_OfAReseller_GivesItsAccountsToRoot_AndTheirTokensKeepWorking()
    {
        var eve = await CreateAccountAsync("eve", "basic-whm-functions", "create-acct");
        var created = await _host.CallAsync("createacct", "eve", eve, ("username", "frank"), ("domain", "frank.example.com"));
        Assert.True(Result(created) == 1, Reason(created));
        var frank = await _host.CreateTokenWithCliAsync("frank", "main");
        Assert.Equal("""[{"user":"frank","owner":"eve"}]""", await ListedAsync(("search", "frank"), ("searchtype", "user"), ("searchmethod", "exact")));

        var removed = await RootAsync("removeacct", ("user", "eve"));
        Assert.True(Result(removed) == 1, Reason(removed));

        Assert.Equal("""[{"user":"frank","owner":"root"}]""", await ListedAsync(("search", "frank"), ("searchtype", "user"), ("searchmethod", "exact")));
        Assert.Equal("""[{"user":"frank","owner":"root"}]""", await ListedAsync(("search", "frank"), ("searchtype", "domain_and_user"),
            ("searchmethod", "regex"), ("want", "user,owner")));
        Assert.Contains("frank", await ListedAsync(("search", "root"), ("searchtype", "owner"), ("searchmethod", "exact")), StringComparison.Ordinal);
        Assert.Equal(1, Result(await _host.CallAsync("version", "frank", frank)));
        await _host.AssertRefusedAsync("eve", eve);

        // Stored so, not only listed so: frank's row names root as its owner.
        await using (var connection = new SqliteConnection($"Data Source={_host.DatabaseFile}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT f.owner_id = r.id FROM whm_accounts f, whm_accounts r WHERE f.user_name = 'frank' AND r.user_name = 'root'";
            Assert.Equal(1L, await command.ExecuteScalarAsync());
        }

        // frank is root's now: root manages it as any of its accounts.
        var suspended = await RootAsync("suspendacct", ("user", "frank"));
        Assert.True(Result(suspended) == 1, Reason(suspended));
    }

    [Fact]
    public async Task Listaccts_TheSearchTimeLimit_IsForTheWholeCall_NotForEachAccount()
    {
        // root sees five accounts (reseller, a1, a2, a3, r1); the reseller sees two (itself and r1).
        foreach (var user in new[] { "a1", "a2", "a3" })
        {
            Assert.Equal(1, Result(await RootAsync("createacct", ("username", user), ("domain", user + ".example.com"))));
        }

        var reseller = await _host.CreateTokenWithCliAsync("reseller", "main");
        Assert.Equal(1, Result(await _host.CallAsync("createacct", "reseller", reseller, ("username", "r1"), ("domain", "r1.example.com"))));

        // The same database under a clock on which each match costs 40% of the limit: every value alone is well under it
        // (the per-match limit never fires), three values together are over it.
        await _host.StopAppAsync();
        var limit = TimeSpan.FromSeconds(10);
        var clock = new SteppingClock(limit * 0.4);
        await using var app = WhmAdminApp.Build(
            [
                "--urls=http://127.0.0.1:0",
                $"--ConnectionStrings:ApiTokens=Data Source={_host.DatabaseFile}",
                "--ApiTokens:Hashing:MemoryCost=64",
                "--ApiTokens:Hashing:TimeCost=1",
                "--ApiTokens:Hashing:Parallelism=1",
                $"--WhmAdmin:RootPassword={SampleHost.RootPassword}",
                $"--WhmAdmin:SearchTimeout={limit}",
            ],
            b =>
            {
                b.Logging.ClearProviders();
                b.Services.AddSingleton<TimeProvider>(clock);
            });
        await WhmAdminApp.InitializeDatabaseAsync(app.Services);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        async Task<string> ListAsync(string user, string token, string query)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/json-api/listaccts?" + query);
            request.Headers.TryAddWithoutValidation("Authorization", $"whm {user}:{token}");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        const string Refused = "The search “.” took too long to match and was stopped. Use a simpler regular expression, or searchmethod=exact.";
        using (var refused = JsonDocument.Parse(await ListAsync("root", _root, "api.version=1&search=.&searchtype=user&want=user")))
        {
            Assert.Equal(0, Result(refused.RootElement)); // once for the call: no acct at all
            Assert.Equal(Refused, Reason(refused.RootElement));
            Assert.False(refused.RootElement.TryGetProperty("data", out var data) && data.TryGetProperty("acct", out _), refused.RootElement.ToString());
        }

        Assert.Equal("""{"status":0,"statusmsg":""" + "\"" + Refused + "\"}", await ListAsync("root", _root, "search=.&searchtype=user&want=user"));

        // Two values fit in the budget; an exact search uses none of it.
        Assert.Equal("""{"acct":[{"user":"r1"},{"user":"reseller"}],"status":1,"statusmsg":"Ok"}""",
            await ListAsync("reseller", reseller, "search=.&searchtype=user&want=user"));
        Assert.Equal("""{"acct":[{"user":"a3"}],"status":1,"statusmsg":"Ok"}""",
            await ListAsync("root", _root, "search=a3&searchtype=user&searchmethod=exact&want=user"));
        await app.StopAsync();
    }

    /// <summary>A clock whose timestamp moves on by <see cref="Step"/> at each reading (wall-clock time is the system's).</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _ticks;

        public TimeSpan Step { get; } = step;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, Step.Ticks);
    }

    /// <summary>listaccts as root with <c>want=user,owner</c>: the acct array's JSON.</summary>
    private async Task<string> ListedAsync(params (string Name, string Value)[] form)
    {
        var list = await RootAsync("listaccts", [.. form.Where(f => f.Name != "want"), ("want", "user,owner")]);
        Assert.True(Result(list) == 1, Reason(list));
        return list.GetProperty("data").GetProperty("acct").GetRawText();
    }

    [Fact]
    public async Task SuspendRacingRemoveAndModify_AlwaysAnswersTheEnvelope_NeverA500()
    {
        // The review's race: suspendacct against removeacct and modifyacct on one account answered 500 in 3 of 12 rounds
        // (EF's concurrency exception when the other call had removed the row). Every answer is now HTTP 200 with result 0 or 1.
        for (var round = 0; round < 12; round++)
        {
            var user = "race" + round;
            var created = await RootAsync("createacct", ("username", user), ("domain", user + ".example.com"));
            Assert.True(Result(created) == 1, Reason(created));
            var calls = new[]
            {
                RootAsync("suspendacct", ("user", user), ("reason", "race")),
                RootAsync("modifyacct", ("user", user), ("contactemail", user + "@example.com")),
                RootAsync("setacls", ("reseller", user), ("acl-list-accts", "1")),
                RootAsync("removeacct", ("user", user)),
                RootAsync("unsuspendacct", ("user", user)),
            };
            foreach (var answer in await Task.WhenAll(calls))
            {
                Assert.True(Result(answer) is 0 or 1);
            }

            var listed = await RootAsync("listaccts", ("search", user), ("searchtype", "user"), ("searchmethod", "exact"));
            Assert.False(listed.TryGetProperty("data", out _), user + " is still listed");
        }
    }

    [Fact]
    public async Task RemoveacctDuringATokenStoreFault_ChangesNothing_AndARetryRemovesTheAccountAndItsTokens()
    {
        // The review's finding: with deletes on api_tokens refused, removeacct said "Nothing was changed" but the account was gone,
        // its cached token kept answering 200, its token rows stayed and a retry said the account does not exist.
        var bob = await CreateAccountAsync("bob", "list-accts");
        Assert.Equal(1, Result(await _host.CallAsync("listaccts", "bob", bob))); // now in bob's verify cache
        await using (var db = new SqliteConnection($"Data Source={_host.DatabaseFile}"))
        {
            await db.OpenAsync();
            await using var create = db.CreateCommand();
            create.CommandText = "CREATE TRIGGER refuse_token_deletes BEFORE DELETE ON api_tokens BEGIN SELECT RAISE(ABORT, 'refused'); END;";
            await create.ExecuteNonQueryAsync();
        }

        var failed = await RootAsync("removeacct", ("user", "bob"));
        Assert.Equal(0, Result(failed));
        var listed = await RootAsync("listaccts", ("search", "bob"), ("searchtype", "user"), ("searchmethod", "exact"));
        Assert.True(listed.TryGetProperty("data", out _), "bob was removed although the call failed");

        await using (var db = new SqliteConnection($"Data Source={_host.DatabaseFile}"))
        {
            await db.OpenAsync();
            await using var drop = db.CreateCommand();
            drop.CommandText = "DROP TRIGGER refuse_token_deletes;";
            await drop.ExecuteNonQueryAsync();
        }

        var removed = await RootAsync("removeacct", ("user", "bob"));
        Assert.True(Result(removed) == 1, Reason(removed));
        using var refused = await _host.SendAsync(HttpMethod.Post, "/json-api/listaccts", "bob", bob, ("api.version", "1"));
        await SampleHost.AssertAccessDeniedAsync(refused);
    }
}
