using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace WhmAdmin.Tests;

/// <summary>
/// The sample's account functions as WHM has them (WHM API 1), over the real sample on Kestrel: version's build string,
/// listaccts' search/searchtype/searchmethod/want, createacct's domain, idempotent suspension with a reason, modifyacct with
/// only user required (and then changing nothing), removeacct's username, setacls' acl-&lt;name&gt;=1 keys.
/// </summary>
public sealed partial class AccountFunctionsTests : IAsyncLifetime
{
    private SampleHost _host = null!;
    private string _root = null!;

    public async Task InitializeAsync()
    {
        _host = await SampleHost.StartAsync(settings: "--WhmAdmin:SearchTimeout=00:00:00.050");
        _root = await _host.CreateTokenWithCliAsync("root", "bootstrap");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static int Result(JsonElement e) => e.GetProperty("metadata").GetProperty("result").GetInt32();

    private static string Reason(JsonElement e) => e.GetProperty("metadata").GetProperty("reason").GetString()!;

    private static JsonElement Data(JsonElement e) => e.GetProperty("data");

    private Task<JsonElement> RootAsync(string function, params (string Name, string Value)[] form) => _host.CallAsync(function, "root", _root, form);

    /// <summary>Calls listaccts as root; the users listed, or null when the answer has no data (result 1 required).</summary>
    private async Task<List<string>?> ListedAsync(params (string Name, string Value)[] form)
    {
        var list = await RootAsync("listaccts", form);
        Assert.True(Result(list) == 1, Reason(list));
        return list.TryGetProperty("data", out var data)
            ? data.GetProperty("acct").EnumerateArray().Select(a => a.GetProperty("user").GetString()!).ToList()
            : null;
    }

    /// <summary>alice (root's, gold plan, alice.example.com) and bob (the reseller's, silver plan, bob.example.net).</summary>
    private async Task CreateAliceAndBobAsync()
    {
        Assert.Equal(1, Result(await RootAsync("createacct", ("username", "alice"), ("domain", "alice.example.com"), ("plan", "gold"),
            ("contactemail", "alice@example.com"))));
        var reseller = await _host.CreateTokenWithCliAsync("reseller", "main");
        var bob = await _host.CallAsync("createacct", "reseller", reseller, ("username", "bob"), ("domain", "Bob.Example.NET"), ("plan", "silver"));
        Assert.True(Result(bob) == 1, Reason(bob));
    }

    [Fact]
    public async Task Version_IsACpanelBuildString()
    {
        var version = await RootAsync("version");
        Assert.Equal("11.126.0.5", Data(version).GetProperty("version").GetString());

        await using var configured = await SampleHost.StartAsync(settings: "--WhmAdmin:Version=11.130.0.2");
        var token = await configured.CreateTokenWithCliAsync("root", "bootstrap");
        Assert.Equal("11.130.0.2", Data(await configured.CallAsync("version", "root", token)).GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("user", "exact", "alice", "alice")]
    [InlineData("user", "exact", "ALICE", "alice")] // as on WHM: user names and domains compare without case
    [InlineData("user", "regex", "^b", "bob")]
    [InlineData("user", null, "LIC", "alice")] // regex is the default: matches anywhere, ignoring case
    [InlineData("domain", "exact", "bob.example.net", "bob")]
    [InlineData("domain", "regex", @"example\.com$", "alice")]
    [InlineData("ip", "exact", "127.0.0.1", "alice,bob,reseller")]
    [InlineData("ip", "regex", @"^127\.", "alice,bob,reseller")]
    [InlineData("package", "exact", "gold", "alice")]
    [InlineData("package", "exact", "GOLD", "")] // plans and addresses compare exactly
    [InlineData("package", "regex", "silv", "bob")]
    [InlineData("owner", "exact", "reseller", "bob")]
    [InlineData("owner", "regex", "^root$", "alice,reseller")]
    [InlineData("domain_and_user", "exact", "alice", "alice")]
    [InlineData("domain_and_user", "exact", "bob.example.net", "bob")]
    [InlineData("domain_and_user", "regex", "^(alice|bob)", "alice,bob")]
    public async Task Listaccts_SearchesEachSearchType_ExactOrRegex(string searchType, string? method, string search, string expected)
    {
        await CreateAliceAndBobAsync();
        var form = new List<(string, string)> { ("search", search), ("searchtype", searchType) };
        if (method is not null)
        {
            form.Add(("searchmethod", method));
        }

        var listed = await ListedAsync([.. form]);
        Assert.Equal(expected, listed is null ? string.Empty : string.Join(',', listed));
    }

    [Fact]
    public async Task Listaccts_ACatastrophicRegex_IsStoppedByItsTimeLimit_WithResult0()
    {
        Assert.Equal(1, Result(await RootAsync("createacct", ("username", "slow"), ("domain", new string('a', 60) + ".example.com"))));

        var list = await RootAsync("listaccts", ("search", "^(a|aa)+$"), ("searchtype", "domain"), ("searchmethod", "regex"));
        Assert.Equal(0, Result(list));
        Assert.Equal("The search “^(a|aa)+$” took too long to match and was stopped. Use a simpler regular expression, or searchmethod=exact.", Reason(list));
    }

    [Theory]
    [InlineData("search", "(unclosed", "searchtype", "user", "is not a valid regular expression")]
    [InlineData("search", "x", "searchtype", "shell", "Unknown search type.")]
    [InlineData("search", "x", "searchmethod", "fuzzy", "The search method “fuzzy” is not known.")]
    [InlineData("search", "alice", "want", "user", "Specify what to search with searchtype=")]
    public async Task Listaccts_ABadSearch_IsResult0_WithAReason(string name1, string value1, string name2, string value2, string reason)
    {
        var form = new List<(string, string)> { (name1, value1), (name2, value2) };
        if (name2 == "searchmethod")
        {
            form.Add(("searchtype", "user"));
        }

        using var response = await _host.SendAsync(HttpMethod.Post, "/json-api/listaccts", "root", _root, [.. form, ("api.version", "1")]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(0, Result(doc.RootElement));
        Assert.Contains(reason, Reason(doc.RootElement), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listaccts_Want_GivesOnlyThoseFields()
    {
        await CreateAliceAndBobAsync();
        var list = await RootAsync("listaccts", ("want", "user,domain, plan,nonsense"), ("search", "alice"), ("searchtype", "user"));
        var entry = Assert.Single(Data(list).GetProperty("acct").EnumerateArray());
        Assert.Equal(["domain", "plan", "user"], entry.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("alice.example.com", entry.GetProperty("domain").GetString());
        Assert.Equal("gold", entry.GetProperty("plan").GetString());
    }

    [Fact]
    public async Task Listaccts_Entries_HaveWhmsFields()
    {
        await CreateAliceAndBobAsync();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60;
        var list = await RootAsync("listaccts", ("search", "alice"), ("searchtype", "user"), ("searchmethod", "exact"));
        var alice = Assert.Single(Data(list).GetProperty("acct").EnumerateArray());
        Assert.Equal(
            ["domain", "email", "ip", "owner", "plan", "startdate", "suspended", "suspendreason", "suspendtime", "unix_startdate", "user"],
            alice.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("alice", alice.GetProperty("user").GetString());
        Assert.Equal("alice.example.com", alice.GetProperty("domain").GetString());
        Assert.Equal("root", alice.GetProperty("owner").GetString());
        Assert.Equal("alice@example.com", alice.GetProperty("email").GetString());
        Assert.Equal("gold", alice.GetProperty("plan").GetString());
        Assert.Equal(0, alice.GetProperty("suspended").GetInt32());
        Assert.Equal("not suspended", alice.GetProperty("suspendreason").GetString());
        Assert.Equal(0, alice.GetProperty("suspendtime").GetInt64());
        Assert.Matches(StartDate(), alice.GetProperty("startdate").GetString()!); // WHM's "13 May 22 16:03"
        Assert.InRange(alice.GetProperty("unix_startdate").GetInt64(), before, before + 120);
        Assert.Equal("127.0.0.1", alice.GetProperty("ip").GetString());
    }

    [Fact]
    public async Task Listaccts_NeverListsRoot()
    {
        Assert.Equal(["reseller"], await ListedAsync());
        Assert.Null(await ListedAsync(("search", "root"), ("searchtype", "user"), ("searchmethod", "exact")));
    }

    [Fact]
    public async Task Listaccts_NoMatch_IsResult1_WithoutData()
    {
        var list = await RootAsync("listaccts", ("search", "nobody"), ("searchtype", "user"), ("searchmethod", "exact"));
        Assert.Equal(1, Result(list));
        Assert.False(list.TryGetProperty("data", out _), list.ToString());
    }

    [Fact]
    public async Task Listaccts_AReseller_FindsOnlyItsOwnAccounts()
    {
        await CreateAliceAndBobAsync();
        var reseller = await _host.CreateTokenWithCliAsync("reseller", "lister");
        var list = await _host.CallAsync("listaccts", "reseller", reseller, ("search", "alice"), ("searchtype", "user"), ("searchmethod", "exact"));
        Assert.Equal(1, Result(list));
        Assert.False(list.TryGetProperty("data", out _), "root's alice is not the reseller's");
    }

    [Fact]
    public async Task Createacct_WithUsernameAndDomain_IsListedWithItsDomain()
    {
        var created = await RootAsync("createacct", ("username", "carol"), ("domain", "Carol.Example.org"));
        Assert.Equal(1, Result(created));
        Assert.Equal("Account “carol” created.", Reason(created));
        Assert.Equal("carol.example.org", Data(created).GetProperty("domain").GetString());

        var list = await RootAsync("listaccts", ("search", "carol.example.org"), ("searchtype", "domain"), ("searchmethod", "exact"));
        var carol = Assert.Single(Data(list).GetProperty("acct").EnumerateArray());
        Assert.Equal("carol", carol.GetProperty("user").GetString());
        Assert.Equal("carol.example.org", carol.GetProperty("domain").GetString());
        Assert.Equal("default", carol.GetProperty("plan").GetString()); // WHM's package when none is given
        Assert.Equal("*unknown*", carol.GetProperty("email").GetString());
    }

    [Theory]
    [InlineData("", "The parameter “domain” is required.")]
    [InlineData("localhost", "The domain “localhost” is not valid.")]
    [InlineData("bad_name.example.com", "is not valid")]
    [InlineData("-x.example.com", "is not valid")]
    [InlineData("alice.example.com", "The domain “alice.example.com” already belongs to an account.")]
    public async Task Createacct_WithoutAValidFreeDomain_IsResult0(string domain, string reason)
    {
        Assert.Equal(1, Result(await RootAsync("createacct", ("username", "alice"), ("domain", "alice.example.com"))));
        var created = await RootAsync("createacct", ("username", "dan"), ("domain", domain));
        Assert.Equal(0, Result(created));
        Assert.Contains(reason, Reason(created), StringComparison.Ordinal);
        Assert.Null(await ListedAsync(("search", "dan"), ("searchtype", "user"), ("searchmethod", "exact")));
    }

    [Theory]
    [InlineData("contactemail", "not an address", "The contact address “not an address” is not valid.")]
    [InlineData("password", "short", "The password is too short.")]
    [InlineData("reseller", "yes", "The parameter “reseller” is “yes”. Use 1 or 0.")]
    public async Task Createacct_WithABadOptionalParameter_IsResult0(string name, string value, string reason)
    {
        var created = await RootAsync("createacct", ("username", "dan"), ("domain", "dan.example.com"), (name, value));
        Assert.Equal(0, Result(created));
        Assert.Contains(reason, Reason(created), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Createacct_WithAPassword_CanLogInToThePage()
    {
        var created = await RootAsync("createacct", ("username", "erin"), ("domain", "erin.example.com"), ("password", "erin-password-1"),
            ("reseller", "1"));
        Assert.Equal(1, Result(created));

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = _host.BaseAddress,
        };
        var form = await browser.GetStringAsync("/login");
        var antiforgery = AntiforgeryField().Match(form);
        using var login = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [antiforgery.Groups["name"].Value] = antiforgery.Groups["value"].Value,
            ["username"] = "erin",
            ["password"] = "erin-password-1",
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Contains("Login of erin from", _host.Log.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suspendacct_IsIdempotent_AndItsReasonAndTimeAreListed()
    {
        Assert.Equal(1, Result(await RootAsync("createacct", ("username", "frank"), ("domain", "frank.example.com"))));

        var suspended = await RootAsync("suspendacct", ("user", "frank"), ("reason", "Unpaid invoice 42"));
        Assert.Equal(1, Result(suspended));
        Assert.Equal("The account “frank” is suspended.", Reason(suspended));
        var again = await RootAsync("suspendacct", ("user", "frank"), ("reason", "Another reason"));
        Assert.Equal(1, Result(again));
        Assert.Equal("The account “frank” is already suspended.", Reason(again));

        var list = await RootAsync("listaccts", ("search", "frank"), ("searchtype", "user"), ("want", "user,suspended,suspendreason,suspendtime"));
        var frank = Assert.Single(Data(list).GetProperty("acct").EnumerateArray());
        Assert.Equal(1, frank.GetProperty("suspended").GetInt32());
        Assert.Equal("Unpaid invoice 42", frank.GetProperty("suspendreason").GetString()); // the first suspension's reason stays
        Assert.InRange(frank.GetProperty("suspendtime").GetInt64(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 120, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);

        Assert.Equal(1, Result(await RootAsync("unsuspendacct", ("user", "frank"))));
        var active = await RootAsync("unsuspendacct", ("user", "frank"));
        Assert.Equal(1, Result(active));
        Assert.Equal("The account “frank” is not suspended.", Reason(active));
        list = await RootAsync("listaccts", ("search", "frank"), ("searchtype", "user"), ("want", "suspended,suspendreason,suspendtime"));
        var unsuspended = Assert.Single(Data(list).GetProperty("acct").EnumerateArray());
        Assert.Equal("not suspended", unsuspended.GetProperty("suspendreason").GetString());
        Assert.Equal(0, unsuspended.GetProperty("suspendtime").GetInt64());
    }

    [Fact]
    public async Task Modifyacct_WithOnlyUserAndDomain_ChangesTheDomain()
    {
        Assert.Equal(1, Result(await RootAsync("createacct", ("username", "gina"), ("domain", "gina.example.com"))));

        var modified = await RootAsync("modifyacct", ("user", "gina"), ("domain", "gina.example.org"));
        Assert.Equal(1, Result(modified));
        Assert.Equal("gina", Data(modified).GetProperty("user").GetString());
        Assert.Equal("gina.example.org", Data(modified).GetProperty("domain").GetString());
        Assert.Equal(["gina"], await ListedAsync(("search", "gina.example.org"), ("searchtype", "domain"), ("searchmethod", "exact")));

        var email = await RootAsync("modifyacct", ("user", "gina"), ("contactemail", "ops@gina.example.org"));
        Assert.Equal(1, Result(email));
        Assert.Equal("ops@gina.example.org", Data(email).GetProperty("email").GetString());

    }

    [Fact]
    public async Task Modifyacct_WithOnlyUser_IsResult1_WithTheAccountAsItIs_AndChangesNothing()
    {
        Assert.Equal(1, Result(await RootAsync("createacct", ("username", "gina"), ("domain", "gina.example.com"),
            ("contactemail", "gina@example.com"))));
        var gina = await _host.CreateTokenWithCliAsync("gina", "main");
        var before = await RootAsync("listaccts", ("search", "gina"), ("searchtype", "user"), ("searchmethod", "exact"));

        var nothing = await RootAsync("modifyacct", ("user", "gina"));
        Assert.True(Result(nothing) == 1, Reason(nothing));
        Assert.Equal("Account “gina” unchanged. Give newuser, domain or contactemail to change it.", Reason(nothing));
        Assert.Equal("""{"user":"gina","olduser":"gina","domain":"gina.example.com","email":"gina@example.com"}""", Data(nothing).GetRawText());

        // WHM API 0: the result list, with the same data members.
        Assert.Equal(
            """{"result":[{"status":1,"statusmsg":"Account “gina” unchanged. Give newuser, domain or contactemail to change it.","user":"gina","olduser":"gina","domain":"gina.example.com","email":"gina@example.com"}]}""",
            await Api0Async("modifyacct", ("user", "gina")));

        var after = await RootAsync("listaccts", ("search", "gina"), ("searchtype", "user"), ("searchmethod", "exact"));
        Assert.Equal(Data(before).GetRawText(), Data(after).GetRawText());
        Assert.Equal(1, Result(await _host.CallAsync("version", "gina", gina)));

        // An unknown account is still refused.
        var unknown = await RootAsync("modifyacct", ("user", "nobody"));
        Assert.Equal(0, Result(unknown));
        Assert.Equal("The account “nobody” does not exist.", Reason(unknown));
    }

    [Fact]
    public async Task Removeacct_WithUsername_RemovesTheAccount()
    {
        Assert.Equal(1, Result(await RootAsync("createacct", ("username", "hank"), ("domain", "hank.example.com"))));

        var removed = await RootAsync("removeacct", ("username", "hank"), ("keepdns", "1"));
        Assert.Equal(1, Result(removed));
        Assert.Equal("hank", Data(removed).GetProperty("user").GetString());
        Assert.Null(await ListedAsync(("search", "hank"), ("searchtype", "user"), ("searchmethod", "exact")));

        var neither = await RootAsync("removeacct", ("keepdns", "1"));
        Assert.Equal(0, Result(neither));
        Assert.Contains("“user” (or “username”) is required", Reason(neither), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setacls_WithAclNameKeys_ReplacesThePrivileges_AndAnswersDataAcl()
    {
        var set = await RootAsync("setacls", ("reseller", "reseller"), ("acl-list-accts", "1"), ("acl-create-acct", "1"), ("acl-kill-acct", "0"));
        Assert.Equal(1, Result(set));
        Assert.Equal(["create-acct", "list-accts"], Data(set).GetProperty("acl").EnumerateArray().Select(a => a.GetString()));

        // user is accepted for reseller; the list given replaces the old one.
        var replaced = await RootAsync("setacls", ("user", "reseller"), ("acl-basic-whm-functions", "1"));
        Assert.Equal(["basic-whm-functions"], Data(replaced).GetProperty("acl").EnumerateArray().Select(a => a.GetString()));
        var reseller = await _host.CreateTokenWithCliAsync("reseller", "after");
        using var listaccts = await _host.SendAsync(HttpMethod.Get, "/json-api/listaccts?api.version=1", "reseller", reseller);
        Assert.Equal(HttpStatusCode.Forbidden, listaccts.StatusCode);

        var unknown = await RootAsync("setacls", ("reseller", "reseller"), ("acl-fly", "1"), ("acl-list-accts", "1"));
        Assert.Equal(0, Result(unknown));
        Assert.StartsWith("Unknown privilege(s): fly.", Reason(unknown), StringComparison.Ordinal);
        var oldForm = await RootAsync("setacls", ("reseller", "reseller"), ("acl", "list-accts"));
        Assert.Equal(0, Result(oldForm));
        Assert.Contains("acl-<name>=1", Reason(oldForm), StringComparison.Ordinal);
        var badValue = await RootAsync("setacls", ("reseller", "reseller"), ("acl-list-accts", "yes"));
        Assert.Equal(0, Result(badValue));
        Assert.Contains("“acl-list-accts” is “yes”", Reason(badValue), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADatabaseFromAnOlderSample_GainsTheNewColumns_OnStart()
    {
        await _host.StopAppAsync();
        await using (var connection = new SqliteConnection($"Data Source={_host.DatabaseFile}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                DROP INDEX "IX_whm_accounts_domain";
                ALTER TABLE whm_accounts DROP COLUMN domain;
                ALTER TABLE whm_accounts DROP COLUMN contact_email;
                ALTER TABLE whm_accounts DROP COLUMN plan;
                ALTER TABLE whm_accounts DROP COLUMN suspend_reason;
                ALTER TABLE whm_accounts DROP COLUMN suspended_at;
                """;
            await command.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        await _host.StartAppAsync();
        Assert.Equal(1, Result(await RootAsync("createacct", ("username", "ivy"), ("domain", "ivy.example.com"))));
        Assert.Equal(["ivy"], await ListedAsync(("search", "ivy.example.com"), ("searchtype", "domain"), ("searchmethod", "exact")));
    }

    /// <summary>Sends a call without api.version (WHM API 0) as root; returns the body, asserting HTTP 200.</summary>
    private async Task<string> Api0Async(string function, params (string Name, string Value)[] form)
    {
        using var response = await _host.SendAsync(HttpMethod.Post, "/json-api/" + function, "root", _root, form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{function}: {(int)response.StatusCode} {body}");
        return body;
    }

    private static JsonElement Parse(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task Version_InApi0_IsTheVersionMemberAlone()
    {
        Assert.Equal("""{"version":"11.126.0.5"}""", await Api0Async("version"));
    }

    [Fact]
    public async Task Listaccts_InApi0_IsAcctWithStatusAndStatusmsg()
    {
        var list = Parse(await Api0Async("listaccts", ("want", "user,owner")));
        Assert.Equal(["acct", "status", "statusmsg"], list.EnumerateObject().Select(p => p.Name));
        Assert.Equal("""[{"user":"reseller","owner":"root"}]""", list.GetProperty("acct").GetRawText());
        Assert.Equal(1, list.GetProperty("status").GetInt32());
        Assert.Equal("Ok", list.GetProperty("statusmsg").GetString());

        // No match: an empty acct, so API 0 clients can always iterate it; a refused search: status 0 and the reason.
        Assert.Equal("""{"acct":[],"status":1,"statusmsg":"Ok"}""", await Api0Async("listaccts", ("search", "nobody"), ("searchtype", "user")));
        Assert.Equal("""{"status":0,"statusmsg":"Unknown search type. Use searchtype=domain, ip, user, package, owner or domain_and_user."}""",
            await Api0Async("listaccts", ("search", "x"), ("searchtype", "shell")));
    }

    [Fact]
    public async Task AccountChanges_InApi0_AreAResultListWithStatusAndStatusmsg()
    {
        static JsonElement First(string body)
        {
            var root = Parse(body);
            Assert.Equal(["result"], root.EnumerateObject().Select(p => p.Name));
            return Assert.Single(root.GetProperty("result").EnumerateArray());
        }

        static void AssertOk(JsonElement first, string statusmsg)
        {
            Assert.Equal(1, first.GetProperty("status").GetInt32());
            Assert.Equal(statusmsg, first.GetProperty("statusmsg").GetString());
        }

        var created = First(await Api0Async("createacct", ("username", "jill"), ("domain", "jill.example.com")));
        AssertOk(created, "Account “jill” created.");
        Assert.Equal("jill.example.com", created.GetProperty("domain").GetString());
        AssertOk(First(await Api0Async("suspendacct", ("user", "jill"), ("reason", "Abuse"))), "The account “jill” is suspended.");
        AssertOk(First(await Api0Async("suspendacct", ("user", "jill"))), "The account “jill” is already suspended.");
        AssertOk(First(await Api0Async("unsuspendacct", ("user", "jill"))), "The account “jill” is unsuspended.");
        AssertOk(First(await Api0Async("unsuspendacct", ("user", "jill"))), "The account “jill” is not suspended.");
        AssertOk(First(await Api0Async("modifyacct", ("user", "jill"), ("contactemail", "ops@jill.example.com"))), "Account “jill” modified.");
        var acls = First(await Api0Async("setacls", ("reseller", "jill"), ("acl-list-accts", "1")));
        AssertOk(acls, "Privileges of “jill” set.");
        Assert.Equal("""["list-accts"]""", acls.GetProperty("acl").GetRawText());
        AssertOk(First(await Api0Async("removeacct", ("username", "jill"))), "Account “jill” removed.");

        Assert.Equal("""{"result":[{"status":0,"statusmsg":"The account “jill” does not exist."}]}""", await Api0Async("removeacct", ("user", "jill")));
    }

    [GeneratedRegex(@"^\d\d [A-Z][a-z][a-z] \d\d \d\d:\d\d$")]
    private static partial Regex StartDate();

    [GeneratedRegex("""<input type="hidden" name="(?<name>__RequestVerificationToken)" value="(?<value>[^"]+)">""")]
    private static partial Regex AntiforgeryField();
}
