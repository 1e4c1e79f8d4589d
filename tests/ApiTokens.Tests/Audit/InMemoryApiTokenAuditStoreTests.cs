namespace ApiTokens.Tests.Audit;

/// <summary>The in-memory audit store answers queries as <see cref="IApiTokenAuditStore"/> says: newest first, exact bounds, paged.</summary>
public sealed class InMemoryApiTokenAuditStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);

    private static ApiTokenAuditEvent Event(string accountId, string tokenName, DateTimeOffset time) =>
        new(ApiTokenAuditAction.Created, accountId, "user-" + accountId, tokenName, null, time, "root", "203.0.113.9");

    private static async Task<InMemoryApiTokenAuditStore> StoreWithAsync(params ApiTokenAuditEvent[] events)
    {
        var store = new InMemoryApiTokenAuditStore();
        foreach (var e in events)
        {
            await store.AppendAsync(e, CancellationToken.None);
        }

        return store;
    }

    private static string[] Names(ApiTokenAuditPage page) => [.. page.Events.Select(e => e.TokenName!)];

    [Fact]
    public async Task Query_IsNewestFirst_AndEventsOfOneTimeComeInReverseAppendOrder()
    {
        var store = await StoreWithAsync(
            Event("a", "oldest", T0), Event("a", "same-1", T0.AddMinutes(1)), Event("a", "newest", T0.AddMinutes(2)),
            Event("a", "same-2", T0.AddMinutes(1)), Event("a", "same-3", T0.AddMinutes(1)));

        var page = await store.QueryAsync(new ApiTokenAuditQuery(), CancellationToken.None);

        Assert.Equal(["newest", "same-3", "same-2", "same-1", "oldest"], Names(page));
        Assert.Equal(5, page.TotalCount);
    }

    [Fact]
    public async Task Query_SinceIsInclusive_UntilIsExclusive()
    {
        var store = await StoreWithAsync(
            Event("a", "before", T0.AddSeconds(-1)), Event("a", "at-since", T0), Event("a", "inside", T0.AddMinutes(30)),
            Event("a", "at-until", T0.AddHours(1)));

        var page = await store.QueryAsync(new ApiTokenAuditQuery { Since = T0, Until = T0.AddHours(1) }, CancellationToken.None);

        Assert.Equal(["inside", "at-since"], Names(page));
        Assert.Equal(2, page.TotalCount);
    }

    [Fact]
    public async Task Query_ByAccount_IsExact_AndPagesWithTheTotalOfAllMatches()
    {
        var events = Enumerable.Range(0, 7).Select(i => Event("acct", "t" + i, T0.AddMinutes(i))).ToList();
        events.Add(Event("ACCT", "other-case", T0.AddMinutes(3)));
        events.Add(Event("other", "other", T0.AddMinutes(4)));
        var store = await StoreWithAsync([.. events]);

        var first = await store.QueryAsync(new ApiTokenAuditQuery { AccountId = "acct", Take = 3 }, CancellationToken.None);
        var second = await store.QueryAsync(new ApiTokenAuditQuery { AccountId = "acct", Skip = 3, Take = 3 }, CancellationToken.None);
        var last = await store.QueryAsync(new ApiTokenAuditQuery { AccountId = "acct", Skip = 6, Take = 3 }, CancellationToken.None);
        var beyond = await store.QueryAsync(new ApiTokenAuditQuery { AccountId = "acct", Skip = 10 }, CancellationToken.None);

        Assert.Equal(["t6", "t5", "t4"], Names(first));
        Assert.Equal(["t3", "t2", "t1"], Names(second));
        Assert.Equal(["t0"], Names(last));
        Assert.Empty(beyond.Events);
        Assert.All([first, second, last, beyond], p => Assert.Equal(7, p.TotalCount));
        Assert.Equal(9, (await store.QueryAsync(new ApiTokenAuditQuery(), CancellationToken.None)).TotalCount);
    }

    [Fact]
    public async Task Query_TakeIsBoundedByMaxTake_AndANegativeSkipReadsFromTheStart()
    {
        var store = await StoreWithAsync([.. Enumerable.Range(0, ApiTokenAuditQuery.MaxTake + 5).Select(i => Event("a", "t" + i, T0.AddSeconds(i)))]);

        var page = await store.QueryAsync(new ApiTokenAuditQuery { Skip = -4, Take = 10_000 }, CancellationToken.None);

        Assert.Equal(ApiTokenAuditQuery.MaxTake, page.Events.Count);
        Assert.Equal("t" + (ApiTokenAuditQuery.MaxTake + 4), page.Events[0].TokenName);
        Assert.Equal(ApiTokenAuditQuery.MaxTake + 5, page.TotalCount);
    }

    [Fact]
    public async Task DeleteOlderThan_DeletesOnlyEventsBeforeTheCutoff_AndSaysHowMany()
    {
        var store = await StoreWithAsync(
            Event("a", "old", T0.AddDays(-40)), Event("b", "older", T0.AddDays(-400)), Event("a", "at-cutoff", T0.AddDays(-30)),
            Event("a", "new", T0));

        var deleted = await store.DeleteOlderThanAsync(T0.AddDays(-30), CancellationToken.None);

        Assert.Equal(2, deleted);
        Assert.Equal(["new", "at-cutoff"], Names(await store.QueryAsync(new ApiTokenAuditQuery(), CancellationToken.None)));
        Assert.Equal(0, await store.DeleteOlderThanAsync(T0.AddDays(-30), CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentAppends_AreAllKept()
    {
        var store = new InMemoryApiTokenAuditStore();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 500; i++)
            {
                await store.AppendAsync(Event("a", $"w{w}-{i}", T0.AddSeconds(i)), CancellationToken.None);
                if (i % 50 == 0)
                {
                    await store.QueryAsync(new ApiTokenAuditQuery { Take = 5 }, CancellationToken.None);
                }
            }
        })));

        var page = await store.QueryAsync(new ApiTokenAuditQuery { Take = 0 }, CancellationToken.None);
        Assert.Equal(4000, page.TotalCount);
        Assert.Equal(4000, store.Count);
        Assert.Empty(page.Events);
    }
}
