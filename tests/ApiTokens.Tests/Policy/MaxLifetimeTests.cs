using ApiTokens.Tests.Commands;
using ApiTokens.Tests.Infrastructure;
using static ApiTokens.Tests.Policy.PolicyHost;

namespace ApiTokens.Tests.Policy;

/// <summary>
/// <c>ApiTokens:Policy:MaxLifetime</c>: every new token expires within it (none given: the maximum; later: refused), and an update
/// may set the expiry at most that far from the time of the change, never to "never". Unset, WHM's rules stand.
/// </summary>
public sealed class MaxLifetimeTests
{
    private static readonly DateTimeOffset Start = WhmTestServer.Start;
    private static readonly DateTimeOffset Latest = Start + ThirtyDays;
    private const string LatestText = "2026-02-14 10:30:00 UTC (Unix time 1771065000)";

    [Fact]
    public async Task WhmCreate_WithoutExpiry_GetsNowPlusTheMaximum()
    {
        await using var host = await StartAsync(ThirtyDays);

        var answer = await host.CallAsync("api_token_create", ("token_name", "no-expiry"));
        var never = await host.CallAsync("api_token_create", ("token_name", "asked-never"), ("expires_at", "0"));

        Assert.Equal(1, Result(answer));
        Assert.Equal(Latest.ToUnixTimeSeconds(), answer.GetProperty("data").GetProperty("expires_at").GetInt64());
        Assert.Equal(Latest.ToUnixTimeSeconds(), never.GetProperty("data").GetProperty("expires_at").GetInt64());
        Assert.Equal(Latest, (await host.Server.Manager.FindByNameAsync(host.Root.Id, "no-expiry"))!.ExpiresAt);
    }

    [Fact]
    public async Task WhmCreate_BeyondTheMaximum_IsResult0_WithTheMessage_AndStoresNothing()
    {
        await using var host = await StartAsync(ThirtyDays);

        var beyond = await host.CallAsync("api_token_create", ("token_name", "too-long"), ("expires_at", Seconds(Latest.AddSeconds(1))));
        var atTheLimit = await host.CallAsync("api_token_create", ("token_name", "just-so"), ("expires_at", Seconds(Latest)));

        Assert.Equal(0, Result(beyond));
        Assert.Equal(
            $"API tokens on this server must expire within 30 days. Choose an expiration time on or before {LatestText}, or none to get that time.",
            Reason(beyond));
        Assert.Null(await host.Server.Manager.FindByNameAsync(host.Root.Id, "too-long"));
        Assert.Equal(1, Result(atTheLimit));
    }

    [Fact]
    public async Task Manager_CreateWithoutExpiry_GetsNowPlusTheMaximum_CountedFromTheCreate_AndBeyondIsTheErrorCode()
    {
        await using var host = await StartAsync(ThirtyDays);
        host.Server.Time.Advance(TimeSpan.FromDays(3));

        var created = await host.Server.Manager.CreateAsync(host.Root.Id, new ApiTokenCreateRequest { Name = "later" });
        var beyond = await host.Server.Manager.CreateAsync(
            host.Root.Id, new ApiTokenCreateRequest { Name = "beyond", ExpiresAt = Start.AddDays(34) });

        Assert.True(created.Succeeded);
        Assert.Equal(Start.AddDays(33), created.Value.Token.ExpiresAt);
        Assert.False(beyond.Succeeded);
        Assert.Equal(ApiTokenErrorCode.ExpiryBeyondMaxLifetime, beyond.Error.Code);
        Assert.Equal("expires_at", beyond.Error.Field);
    }

    [Fact]
    public async Task CliCreate_BeyondTheMaximum_Exits1_WithTheMessage_AndWithoutExpiry_GetsIt()
    {
        await using var cli = new CommandHarness(b => b.ConfigureOptions(o => o.Policy.MaxLifetime = ThirtyDays));

        var beyond = await cli.RunAsync("tokens", "create", "--user", "root", "--name", "too-long", "--expires-at", Seconds(Latest.AddDays(1)));
        var plain = await cli.RunAsync("tokens", "create", "--user", "root", "--name", "plain");

        Assert.Equal(1, beyond.ExitCode);
        Assert.Equal(string.Empty, beyond.StdOut);
        Assert.Contains("API tokens on this server must expire within 30 days.", beyond.StdErr, StringComparison.Ordinal);
        Assert.Null(await cli.Manager.FindByNameAsync(cli.Account("root").Id, "too-long"));
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Equal(Latest, (await cli.Manager.FindByNameAsync(cli.Account("root").Id, "plain"))!.ExpiresAt);
    }

    [Fact]
    public async Task WhmUpdate_MayExtendUpToTheMaximumFromTheTimeOfTheChange_NotBeyond()
    {
        await using var host = await StartAsync(ThirtyDays);
        Assert.Equal(1, Result(await host.CallAsync("api_token_create", ("token_name", "renewed"))));
        host.Server.Time.Advance(TimeSpan.FromDays(20));
        var latestNow = Start.AddDays(50);

        var beyond = await host.CallAsync("api_token_update", ("token_name", "renewed"), ("expires_at", Seconds(latestNow.AddSeconds(1))));
        var renewed = await host.CallAsync("api_token_update", ("token_name", "renewed"), ("expires_at", Seconds(latestNow)));

        Assert.Equal(0, Result(beyond));
        Assert.Equal(
            "API tokens on this server must expire within 30 days. Choose an expiration time on or before 2026-03-06 10:30:00 UTC (Unix time 1772793000), or none to get that time.",
            Reason(beyond));
        Assert.Equal(1, Result(renewed));
        Assert.Equal(latestNow, (await host.Server.Manager.FindByNameAsync(host.Root.Id, "renewed"))!.ExpiresAt);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("")]
    public async Task WhmUpdate_ToNeverExpire_IsRefused_AndKeepsTheExpiry(string never)
    {
        await using var host = await StartAsync(ThirtyDays);
        Assert.Equal(1, Result(await host.CallAsync("api_token_create", ("token_name", "bounded"))));

        var answer = await host.CallAsync("api_token_update", ("token_name", "bounded"), ("expires_at", never));

        Assert.Equal(0, Result(answer));
        Assert.Equal(
            $"API tokens on this server must expire within 30 days, so a token cannot be set to never expire. Choose an expiration time on or before {LatestText}.",
            Reason(answer));
        Assert.Equal(Latest, (await host.Server.Manager.FindByNameAsync(host.Root.Id, "bounded"))!.ExpiresAt);
    }

    [Fact]
    public async Task Update_ThatLeavesTheExpiryAlone_IsAllowed_EvenForATokenStoredBeforeThePolicy()
    {
        await using var host = await StartAsync(ThirtyDays);
        var now = host.Server.Time.GetUtcNow();
        await host.Server.Store.CreateAsync(new ApiToken
        {
            Id = Guid.CreateVersion7(now),
            AccountId = host.Root.Id,
            Name = "from-before",
            Selector = "SELECTOR0001",
            SecretHash = "not-a-hash",
            CreatedAt = now,
            ConcurrencyStamp = "stamp",
        }, CancellationToken.None);

        var renamed = await host.CallAsync("api_token_update", ("token_name", "from-before"), ("new_name", "still-forever"));

        Assert.Equal(1, Result(renamed));
        Assert.Null((await host.Server.Manager.FindByNameAsync(host.Root.Id, "still-forever"))!.ExpiresAt);
    }

    [Fact]
    public async Task WithoutAPolicy_WhmRulesStand_NoExpiryMeansNever_AndAnyFutureExpiryAndNeverAreAccepted()
    {
        await using var host = await StartAsync(maxLifetime: null);
        var farAway = Start.AddYears(50);

        var plain = await host.CallAsync("api_token_create", ("token_name", "plain"));
        var far = await host.CallAsync("api_token_create", ("token_name", "far"), ("expires_at", Seconds(farAway)));
        var cleared = await host.CallAsync("api_token_update", ("token_name", "far"), ("expires_at", "0"));

        Assert.Equal(1, Result(plain));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, plain.GetProperty("data").GetProperty("expires_at").ValueKind);
        Assert.Equal(1, Result(far));
        Assert.Equal(farAway.ToUnixTimeSeconds(), far.GetProperty("data").GetProperty("expires_at").GetInt64());
        Assert.Equal(1, Result(cleared));
        Assert.Null((await host.Server.Manager.FindByNameAsync(host.Root.Id, "far"))!.ExpiresAt);
    }
}
