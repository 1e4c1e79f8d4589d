using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Tests.Expiry;

/// <summary>
/// <c>ApiTokens:Policy:ExpiryWarning</c> (default 7 days): once per token and expiry, on one node of many, a token entering the
/// window gets an <see cref="ApiTokenAuditAction.ExpiryWarning"/> audit event and every <see cref="IApiTokenExpiryWarningHandler"/>
/// is told, with its owner. Rounds are run one at a time here (<c>RunOnceAsync</c>); the running app's timer has its own test.
/// </summary>
public sealed class ExpiryWarningTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = ApiTokensTestHostBuilder.DefaultStart;

    private readonly FakeTimeProvider _time = new(Start);
    private readonly ApiTokenAccount _owner = new("acct-bob", "bob", false, ["all"]);
    private readonly ExpiryWarnings _warnings = new();
    private readonly InMemoryApiTokenAuditStore _audit = new();
    private readonly InMemoryApiTokenStore _store = new();
    private readonly List<ApiTokensTestServices> _nodes = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    private ApiTokensTestServices Node(Action<ApiTokensTestHostBuilder>? configure = null)
    {
        var node = ExpiryTestSupport.Node(b => b.Services.AddSingleton<IApiTokenStore>(_store), _time, _owner, _warnings, _audit, configure);
        _nodes.Add(node);
        return node;
    }

    private Task<ApiToken> PutAsync(string name, DateTimeOffset? expiresAt) => ExpiryTestSupport.PutAsync(_store, _owner, name, expiresAt, _time.GetUtcNow());

    private ApiTokenAuditEvent[] Warned() => [.. _audit.Events.Where(e => e.Action == ApiTokenAuditAction.ExpiryWarning)];

    [Fact]
    public async Task ATokenInsideTheWindow_IsWarnedOnce_WithAnAuditEvent_AndItsOwnerIsToldByEveryHandler()
    {
        var node = Node(b => b.ConfigureApiTokens(t => t.AddAuditSink<CapturingSink>()).ConfigureServices(s => s.AddSingleton<List<ApiTokenAuditEvent>>()));
        var created = await node.CreateTokenAsync(_owner, "deploy", ["list-accts"], Start.AddDays(3));

        Assert.Equal(1, await node.ExpiryService().RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await node.ExpiryService().RunOnceAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, await node.ExpiryService().RunOnceAsync(CancellationToken.None));

        var (token, owner) = Assert.Single(_warnings.Told);
        Assert.Equal(("deploy", Start.AddDays(3), Start.AddDays(3)), (token.Name, token.ExpiresAt, token.ExpiryWarnedFor));
        Assert.Same(_owner, owner);
        var stored = Assert.Single(Warned());
        Assert.Equal(
            new ApiTokenAuditEvent(ApiTokenAuditAction.ExpiryWarning, _owner.Id, "bob", "deploy", null, Start, null, null) { ExpiresAt = Start.AddDays(3) },
            stored);
        Assert.Equal(stored, Assert.Single(node.Services.GetRequiredService<List<ApiTokenAuditEvent>>(), e => e.Action == ApiTokenAuditAction.ExpiryWarning));
        var line = Assert.Single(node.Log.Lines, l => l.EventId == 1621);
        Assert.Contains("API token deploy of user bob expires at 2026-01-18T10:30:00", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(created.PlaintextToken, node.Log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Token.SecretHash, node.Log.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoNodesOverOneStore_RaiseExactlyOneWarningPerToken()
    {
        var a = Node();
        var b = Node();
        for (var i = 0; i < 40; i++)
        {
            await PutAsync("t" + i, Start.AddDays(1).AddMinutes(i));
        }

        var raised = await Task.WhenAll(
            Task.Run(() => a.ExpiryService().RunOnceAsync(CancellationToken.None)),
            Task.Run(() => b.ExpiryService().RunOnceAsync(CancellationToken.None)));

        Assert.Equal(40, raised.Sum());
        Assert.Equal(40, _warnings.Told.Count);
        Assert.Equal(40, _warnings.Told.Select(w => w.Token.Id).Distinct().Count());
        Assert.Equal(40, Warned().Length);
        Assert.Equal(0, await a.ExpiryService().RunOnceAsync(CancellationToken.None) + await b.ExpiryService().RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AnUpdateThatMovesTheExpiry_ReArmsTheWarning_ButARenameDoesNot()
    {
        var node = Node();
        await node.CreateTokenAsync(_owner, "deploy", null, Start.AddDays(2));
        Assert.Equal(1, await node.ExpiryService().RunOnceAsync(CancellationToken.None));

        Assert.True((await node.Manager.UpdateAsync(_owner.Id, "deploy", new ApiTokenUpdateRequest { NewName = "ci" })).Succeeded);
        Assert.Equal(0, await node.ExpiryService().RunOnceAsync(CancellationToken.None));

        var extended = await node.Manager.UpdateAsync(_owner.Id, "ci", new ApiTokenUpdateRequest { ExpiresAt = Start.AddDays(20) });
        Assert.True(extended.Succeeded, extended.Error?.Message);
        Assert.Equal(0, await node.ExpiryService().RunOnceAsync(CancellationToken.None)); // 20 days away: outside the window
        _time.Advance(TimeSpan.FromDays(14));
        Assert.Equal(1, await node.ExpiryService().RunOnceAsync(CancellationToken.None));

        Assert.Equal([Start.AddDays(2), Start.AddDays(20)], Warned().Select(e => e.ExpiresAt!.Value));
        Assert.Equal(["deploy", "ci"], _warnings.Told.Select(w => w.Token.Name));
    }

    [Fact]
    public async Task TokensOutsideTheWindow_Expired_OrWithoutExpiry_AreNotWarned_UntilTheyEnterIt()
    {
        var node = Node();
        await PutAsync("far", Start.AddDays(7).AddMinutes(1));
        await PutAsync("never", null);
        await PutAsync("gone", Start.AddMinutes(-1));
        await PutAsync("edge", Start.AddDays(7));

        Assert.Equal(1, await node.ExpiryService().RunOnceAsync(CancellationToken.None));
        Assert.Equal(["edge"], _warnings.Told.Select(w => w.Token.Name));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await node.ExpiryService().RunOnceAsync(CancellationToken.None));
        Assert.Equal(["edge", "far"], _warnings.Told.Select(w => w.Token.Name));
    }

    [Fact]
    public async Task AHandlerThatThrows_IsLoggedAndSwallowed_OthersAreStillTold_AndTheWarningIsNotRaisedAgain()
    {
        var node = Node(b => b.ConfigureApiTokens(t => t.AddExpiryWarningHandler<ThrowingHandler>()));
        await PutAsync("a", Start.AddDays(1));
        await PutAsync("b", Start.AddDays(2));

        Assert.Equal(2, await node.ExpiryService().RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await node.ExpiryService().RunOnceAsync(CancellationToken.None));

        Assert.Equal(["a", "b"], _warnings.Told.Select(w => w.Token.Name));
        var failures = node.Log.Lines.Where(l => l.EventId == 1622).ToList();
        Assert.Equal(2, failures.Count);
        Assert.Contains("Expiry warning handler ThrowingHandler failed for API token a of user bob", failures[0].Message, StringComparison.Ordinal);
        Assert.Contains("mail server down", failures[0].Exception, StringComparison.Ordinal);
        Assert.Equal(2, Warned().Length);
    }

    [Fact]
    public async Task AnOwnerThatIsGone_IsToldAsNull()
    {
        var node = Node();
        await PutAsync("orphan", Start.AddDays(1));
        node.Accounts.Remove(_owner.Id);

        Assert.Equal(1, await node.ExpiryService().RunOnceAsync(CancellationToken.None));

        var (token, owner) = Assert.Single(_warnings.Told);
        Assert.Equal("orphan", token.Name);
        Assert.Null(owner);
        Assert.Null(Assert.Single(Warned()).UserName);
    }

    [Fact]
    public async Task AWindowOfZero_TurnsWarningsOff()
    {
        var node = Node(b => b.ConfigureOptions(o => o.Policy.ExpiryWarning = TimeSpan.Zero));
        await PutAsync("soon", Start.AddHours(1));

        Assert.False(node.ExpiryService().Enabled);
        Assert.Equal(0, await node.ExpiryService().RunOnceAsync(CancellationToken.None));
        Assert.Empty(_warnings.Told);
        Assert.Null((await _store.FindByNameAsync(_owner.Id, "soon", CancellationToken.None))!.ExpiryWarnedFor);
    }

    [Fact]
    public async Task AStoreFault_IsLoggedOnce_AndTheTokenIsWarnedInTheNextRoundThatWorks()
    {
        var node = Node(b => b.WrapStore((_, inner) => new ExpiryFaultStore(inner)));
        var faulty = (ExpiryFaultStore)node.Store;
        await PutAsync("deploy", Start.AddDays(1));
        faulty.Down = true;

        Assert.Equal(0, await node.ExpiryService().RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await node.ExpiryService().RunOnceAsync(CancellationToken.None));
        faulty.Down = false;
        Assert.Equal(1, await node.ExpiryService().RunOnceAsync(CancellationToken.None));

        Assert.Single(_warnings.Told);
        var failed = Assert.Single(node.Log.Lines, l => l.EventId == 1623);
        Assert.Contains("database down", failed.Exception, StringComparison.Ordinal);
        Assert.Single(node.Log.Lines, l => l.EventId == 1624);
    }

    [Fact]
    public async Task MoreTokensThanOneBatch_AreAllWarnedInOneRound()
    {
        var node = Node();
        const int count = (2 * ExpiryWarningService.BatchSize) + 7;
        for (var i = 0; i < count; i++)
        {
            await PutAsync("t" + i, Start.AddDays(1).AddSeconds(i % 3));
        }

        Assert.Equal(count, await node.ExpiryService().RunOnceAsync(CancellationToken.None));
        Assert.Equal(count, _warnings.Told.Select(w => w.Token.Id).Distinct().Count());
    }

    [Fact]
    public async Task RegisteringAHandlerOrTheAuditStoreTwice_IsHarmless()
    {
        var node = Node(b => b.ConfigureApiTokens(t => t.AddExpiryWarningHandler<RecordingHandler>().AddInMemoryAuditStore().AddInMemoryAuditStore()));
        await PutAsync("deploy", Start.AddDays(1));

        Assert.Equal(1, await node.ExpiryService().RunOnceAsync(CancellationToken.None));

        Assert.Single(_warnings.Told);
        Assert.Single(node.Services.GetServices<InMemoryApiTokenAuditStore>());
    }

    [Theory]
    [InlineData(7 * 24 * 60, 5)]
    [InlineData(10, 5)]
    [InlineData(6, 3)]
    public void TheScanInterval_IsFiveMinutes_OrHalfAShorterWindow(int windowMinutes, int intervalMinutes) =>
        Assert.Equal(TimeSpan.FromMinutes(intervalMinutes), ExpiryWarningService.IntervalFor(TimeSpan.FromMinutes(windowMinutes)));

    /// <summary>An audit sink that keeps what it is sent.</summary>
    private sealed class CapturingSink(List<ApiTokenAuditEvent> events) : IApiTokenAuditSink
    {
        public ValueTask WriteAsync(ApiTokenAuditEvent auditEvent, CancellationToken cancellationToken)
        {
            lock (events)
            {
                events.Add(auditEvent);
            }

            return ValueTask.CompletedTask;
        }
    }
}
