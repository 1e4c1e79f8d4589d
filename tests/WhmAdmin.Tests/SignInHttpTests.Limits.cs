using System.Net;

namespace WhmAdmin.Tests;

/// <summary>The login's brute-force limit, its return URLs and what it logs (issue 15, the sample's login findings).</summary>
public sealed partial class SignInHttpTests
{
    [Fact]
    public async Task TenWrongPasswords_BlockThatUserName_EvenForTheRightPassword_WithTheAnswerAnUnknownNameGets_ButNotAnotherCase()
    {
        using var browser = NewBrowser();
        for (var i = 0; i < 10; i++)
        {
            using var wrong = await LogInAsync(browser, "root", "not-the-password");
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            using var unknown = await LogInAsync(browser, "nobody", "not-the-password");
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        }

        using var right = await LogInAsync(browser, "root", SampleHost.RootPassword);
        using var stranger = await LogInAsync(browser, "nobody", "not-the-password");
        foreach (var blocked in new[] { right, stranger })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
            Assert.Equal(TimeSpan.FromMinutes(15), blocked.Headers.RetryAfter!.Delta);
            Assert.Contains("Too many failed logins for this user name or from this address.", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Null(right.Headers.Location); // no session
        Assert.Equal(2, _host.Log.Lines.Count(l => l.EventId == 1013)); // one line per blocked name, not one per attempt

        // Names compare exactly: failures as ROOT do not lock root out (and root's block does not reach ROOT).
        using var upper = await LogInAsync(browser, "ROOT", "not-the-password");
        Assert.Equal(HttpStatusCode.BadRequest, upper.StatusCode);

        // Another user from the same address is not locked out by root's attacker.
        using var reseller = await LogInAsync(browser, "reseller", SampleHost.ResellerPassword);
        Assert.Equal(HttpStatusCode.Redirect, reseller.StatusCode);
    }

    [Fact]
    public async Task TheAddressLimit_StopsAFloodOfDifferentNames()
    {
        await using var host = await SampleHost.StartAsync(true, "--WhmAdmin:LoginMaxFailures=3", "--WhmAdmin:LoginMaxFailuresPerAddress=5");
        using var browser = NewBrowser(host);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await LogInAsync(browser, "user" + i, "x");
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        using var root = await LogInAsync(browser, "root", SampleHost.RootPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, root.StatusCode);
    }

    [Fact]
    public async Task ANonAsciiReturnUrl_GoesToTheDefault_NeverA500()
    {
        using var browser = NewBrowser();
        using var login = await LogInAsync(browser, "root", SampleHost.RootPassword, returnUrl: "/\u3000");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/tokens", login.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task AHugeUserNameWithNewlines_IsLoggedShortAndOnOneLine()
    {
        using var browser = NewBrowser();
        var name = "evil\nINFO forged line " + new string('x', 100_000);
        using var login = await LogInAsync(browser, name, "x");
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);

        var line = Assert.Single(_host.Log.Lines, l => l.EventId == 1011);
        Assert.DoesNotContain('\n', line.Message);
        Assert.Contains("evil?INFO forged line xxx", line.Message, StringComparison.Ordinal);
        Assert.True(line.Message.Length < 300, line.Message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True((await login.Content.ReadAsStringAsync()).Length < 10_000); // the form does not echo 100 KB back
    }

    [Fact]
    public async Task ParallelGuesses_GetNoMoreTriesThanTheLimit()
    {
        // The review's race: the limit was only checked before the lookup and counted after the hash, so 200 parallel guesses
        // all passed the check. Now one attempt per name runs at a time: at most 10 guesses are ever checked. One login form
        // (one antiforgery cookie and token) serves every guess, as an attacker's script would do.
        using var browser = NewBrowser();
        var form = await browser.GetStringAsync("/login");
        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            using var response = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [FieldName(form)] = FieldValue(form),
                ["username"] = "root",
                ["password"] = "not-the-password",
            }));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        var checkedGuesses = answers.Count(a => a.Body.Contains("The user name or password is wrong.", StringComparison.Ordinal));
        Assert.True(checkedGuesses is >= 1 and <= 10, checkedGuesses.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(answers, a => Assert.True(
            a.StatusCode == HttpStatusCode.TooManyRequests || a.Body.Contains("The user name or password is wrong.", StringComparison.Ordinal),
            a.StatusCode.ToString()));
        Assert.True(_host.Log.Lines.Count(l => l.EventId == 1011) <= 10); // each checked guess is one "login failed" line
    }
}
