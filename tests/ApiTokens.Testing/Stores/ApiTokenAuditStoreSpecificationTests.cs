using System.Security.Cryptography;

namespace ApiTokens.Testing;

/// <summary>
/// The <see cref="IApiTokenAuditStore"/> contract, for every audit store (in memory, EF Core on SQLite and PostgreSQL, a third
/// party's): append, query by account and time with paging and a total, newest first in a stable order, retention. Derive a test
/// class and implement <see cref="CreateStore"/>; as with <see cref="ApiTokenStoreSpecificationTests"/>, the tests of one class may
/// share one database (each uses fresh account ids, and a time window of its own for the queries over every account).
/// </summary>
/// <remarks>Times are whole seconds, as a store may keep them to the millisecond.</remarks>
public abstract class ApiTokenAuditStoreSpecificationTests
{
    private static CancellationToken Ct => CancellationToken.None;

    /// <summary>
    /// A new audit store over the shared data, on a context and connection of its own, as another request or node would have. A
    /// backend that is not there can skip (<c>Skip.If</c>) from here: every test calls it first.
    /// </summary>
    protected abstract IApiTokenAuditStore CreateStore();

    [SkippableFact]
    public async Task Append_ThenQuery_RoundTripsEveryField_AndNulls()
    {
        var store = CreateStore();
        var start = Window();
        var account = TestTokens.NewAccountId();
        var updated = new ApiTokenAuditEvent(ApiTokenAuditAction.Updated, account, "bob", "deploy", "deploy-2", start.AddSeconds(2), "root", "2001:db8::7")
        {
            ChangedFields = ["name", "acls", "expires_at", "whitelist_ips"],
            ExpiresAt = start.AddDays(30),
        };
        var revokedAll = new ApiTokenAuditEvent(ApiTokenAuditAction.RevokedAll, account, null, null, null, start.AddSeconds(1), null, null);
        await store.AppendAsync(revokedAll, Ct);
        await store.AppendAsync(updated, Ct);

        var page = await CreateStore().QueryAsync(new ApiTokenAuditQuery { AccountId = account }, Ct);

        Assert.Equal(2, page.TotalCount);
        Assert.Equal(2, page.Events.Count);
        AssertSame(updated, page.Events[0]);
        AssertSame(revokedAll, page.Events[1]);
        Assert.Equal(TimeSpan.Zero, page.Events[0].Time.Offset);
    }

    [SkippableFact]
    public async Task Append_EveryAction_RoundTrips()
    {
        var store = CreateStore();
        var start = Window();
        var account = TestTokens.NewAccountId();
        var actions = Enum.GetValues<ApiTokenAuditAction>();
        for (var i = 0; i < actions.Length; i++)
        {
            await store.AppendAsync(Event(actions[i], account, start.AddSeconds(i), $"t{i}"), Ct);
        }

        var page = await CreateStore().QueryAsync(new ApiTokenAuditQuery { AccountId = account }, Ct);

        Assert.Equal(Enumerable.Reverse(actions), page.Events.Select(e => e.Action));
    }

    [SkippableFact]
    public async Task Query_ByAccount_NeverShowsAnotherAccountsEvents_AndComparesExactly()
    {
        var start = Window();
        var account = TestTokens.NewAccountId();
        var other = TestTokens.NewAccountId();
        var store = CreateStore();
        await store.AppendAsync(Event(ApiTokenAuditAction.Created, account, start, "mine"), Ct);
        await store.AppendAsync(Event(ApiTokenAuditAction.Created, other, start.AddSeconds(1), "theirs"), Ct);
        await store.AppendAsync(Event(ApiTokenAuditAction.Created, account.ToUpperInvariant(), start.AddSeconds(2), "upper"), Ct);

        var reader = CreateStore();
        var mine = await reader.QueryAsync(new ApiTokenAuditQuery { AccountId = account }, Ct);
        var unknown = await reader.QueryAsync(new ApiTokenAuditQuery { AccountId = TestTokens.NewAccountId() }, Ct);

        Assert.Equal(["mine"], mine.Events.Select(e => e.TokenName));
        Assert.Equal(1, mine.TotalCount);
        Assert.Empty(unknown.Events);
        Assert.Equal(0, unknown.TotalCount);
    }

    [SkippableFact]
    public async Task Query_SinceIsInclusive_UntilIsExclusive_ForOneAccountOrAll()
    {
        var start = Window();
        var (a, b) = (TestTokens.NewAccountId(), TestTokens.NewAccountId());
        var store = CreateStore();
        for (var i = 0; i < 4; i++)
        {
            await store.AppendAsync(Event(ApiTokenAuditAction.Created, a, start.AddSeconds(i), $"a{i}"), Ct);
            await store.AppendAsync(Event(ApiTokenAuditAction.Revoked, b, start.AddSeconds(i), $"b{i}"), Ct);
        }

        var reader = CreateStore();
        var one = await reader.QueryAsync(new ApiTokenAuditQuery { AccountId = a, Since = start.AddSeconds(1), Until = start.AddSeconds(3) }, Ct);
        var all = await reader.QueryAsync(new ApiTokenAuditQuery { Since = start.AddSeconds(1), Until = start.AddSeconds(3) }, Ct);
        var since = await reader.QueryAsync(new ApiTokenAuditQuery { AccountId = a, Since = start.AddSeconds(3) }, Ct);
        var until = await reader.QueryAsync(new ApiTokenAuditQuery { AccountId = a, Until = start.AddSeconds(1) }, Ct);

        Assert.Equal(["a2", "a1"], one.Events.Select(e => e.TokenName));
        Assert.Equal(2, one.TotalCount);
        Assert.Equal(["b2", "a2", "b1", "a1"], all.Events.Select(e => e.TokenName));
        Assert.Equal(4, all.TotalCount);
        Assert.Equal(["a3"], since.Events.Select(e => e.TokenName));
        Assert.Equal(["a0"], until.Events.Select(e => e.TokenName));
    }

    [SkippableFact]
    public async Task Query_IsNewestFirst_AndEventsOfOneTimeComeInTheReverseOrderTheyWereAppended()
    {
        var start = Window();
        var account = TestTokens.NewAccountId();
        var store = CreateStore();
        await store.AppendAsync(Event(ApiTokenAuditAction.Created, account, start.AddSeconds(9), "latest"), Ct);
        await store.AppendAsync(Event(ApiTokenAuditAction.Created, account, start, "earliest"), Ct);
        foreach (var name in new[] { "first", "second", "third" })
        {
            await CreateStore().AppendAsync(Event(ApiTokenAuditAction.Updated, account, start.AddSeconds(5), name), Ct);
        }

        var reader = CreateStore();
        var page = await reader.QueryAsync(new ApiTokenAuditQuery { AccountId = account }, Ct);
        var again = await reader.QueryAsync(new ApiTokenAuditQuery { AccountId = account }, Ct);

        Assert.Equal(["latest", "third", "second", "first", "earliest"], page.Events.Select(e => e.TokenName));
        Assert.Equal(page.Events.Select(e => e.TokenName), again.Events.Select(e => e.TokenName));
    }

    [SkippableFact]
    public async Task Query_Pages_WithTheTotalCount()
    {
        var start = Window();
        var account = TestTokens.NewAccountId();
        var store = CreateStore();
        for (var i = 0; i < 7; i++)
        {
            await store.AppendAsync(Event(ApiTokenAuditAction.Created, account, start.AddSeconds(i), $"t{i}"), Ct);
        }

        var reader = CreateStore();
        var middle = await reader.QueryAsync(new ApiTokenAuditQuery { AccountId = account, Skip = 2, Take = 3 }, Ct);
        var last = await reader.QueryAsync(new ApiTokenAuditQuery { AccountId = account, Skip = 6, Take = 3 }, Ct);
        var beyond = await reader.QueryAsync(new ApiTokenAuditQuery { AccountId = account, Skip = 7, Take = 3 }, Ct);
        var none = await reader.QueryAsync(new ApiTokenAuditQuery { AccountId = account, Take = 0 }, Ct);

        Assert.Equal(["t4", "t3", "t2"], middle.Events.Select(e => e.TokenName));
        Assert.Equal(["t0"], last.Events.Select(e => e.TokenName));
        Assert.Empty(beyond.Events);
        Assert.Empty(none.Events);
        Assert.All([middle, last, beyond, none], p => Assert.Equal(7, p.TotalCount));
    }

    [SkippableFact]
    public async Task Append_FromSeveralConnectionsAtOnce_StoresEveryEventOnce()
    {
        var start = Window();
        var account = TestTokens.NewAccountId();
        var stores = Enumerable.Range(0, 5).Select(_ => CreateStore()).ToArray();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = stores.Select((store, i) => Task.Run(
            async () =>
            {
                await go.Task;
                for (var j = 0; j < 4; j++)
                {
                    await store.AppendAsync(Event(ApiTokenAuditAction.Created, account, start.AddSeconds(j), $"s{i}-{j}"), Ct);
                }
            },
            Ct)).ToArray();

        go.SetResult();
        await Task.WhenAll(running);

        var page = await CreateStore().QueryAsync(new ApiTokenAuditQuery { AccountId = account, Take = ApiTokenAuditQuery.MaxTake }, Ct);
        Assert.Equal(20, page.TotalCount);
        Assert.Equal(
            stores.SelectMany((_, i) => Enumerable.Range(0, 4).Select(j => $"s{i}-{j}")).Order(StringComparer.Ordinal),
            page.Events.Select(e => e.TokenName!).Order(StringComparer.Ordinal));
        Assert.Equal(page.Events.Select(e => e.Time).OrderDescending(), page.Events.Select(e => e.Time));
    }

    [SkippableFact]
    public async Task DeleteOlderThan_RemovesOnlyOlderEvents_OfEveryAccount_AndSaysHowMany()
    {
        // Older than every other test's events (theirs are after the year 2200), so the delete removes only this test's.
        var cutoff = new DateTimeOffset(1990, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(RandomNumberGenerator.GetInt32(0, 3650));
        var (a, b) = (TestTokens.NewAccountId(), TestTokens.NewAccountId());
        var store = CreateStore();
        await store.AppendAsync(Event(ApiTokenAuditAction.Created, a, cutoff.AddDays(-400), "a-old"), Ct);
        await store.AppendAsync(Event(ApiTokenAuditAction.Created, b, cutoff.AddSeconds(-1), "b-old"), Ct);
        await store.AppendAsync(Event(ApiTokenAuditAction.Created, a, cutoff, "a-at-cutoff"), Ct);
        await store.AppendAsync(Event(ApiTokenAuditAction.Created, b, cutoff.AddSeconds(1), "b-new"), Ct);

        Assert.Equal(2, await CreateStore().DeleteOlderThanAsync(cutoff, Ct));
        Assert.Equal(0, await CreateStore().DeleteOlderThanAsync(cutoff, Ct));

        var reader = CreateStore();
        Assert.Equal(["a-at-cutoff"], (await reader.QueryAsync(new ApiTokenAuditQuery { AccountId = a }, Ct)).Events.Select(e => e.TokenName));
        Assert.Equal(["b-new"], (await reader.QueryAsync(new ApiTokenAuditQuery { AccountId = b }, Ct)).Events.Select(e => e.TokenName));
    }

    private static ApiTokenAuditEvent Event(ApiTokenAuditAction action, string accountId, DateTimeOffset time, string tokenName) =>
        new(action, accountId, "user", tokenName, null, time, "actor", "192.0.2.1");

    private static void AssertSame(ApiTokenAuditEvent expected, ApiTokenAuditEvent actual)
    {
        Assert.Equal(expected.Action, actual.Action);
        Assert.Equal(expected.AccountId, actual.AccountId);
        Assert.Equal(expected.UserName, actual.UserName);
        Assert.Equal(expected.TokenName, actual.TokenName);
        Assert.Equal(expected.NewTokenName, actual.NewTokenName);
        Assert.Equal(expected.Time, actual.Time);
        Assert.Equal(expected.Actor, actual.Actor);
        Assert.Equal(expected.RemoteAddress, actual.RemoteAddress);
        Assert.Equal(expected.ChangedFields, actual.ChangedFields);
        Assert.Equal(expected.ExpiresAt, actual.ExpiresAt);
    }

    /// <summary>The start of a time window of this test's own: a random ten-day slot between the years 2200 and about 4900.</summary>
    private static DateTimeOffset Window() =>
        new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(10L * RandomNumberGenerator.GetInt32(0, 100_000));
}
