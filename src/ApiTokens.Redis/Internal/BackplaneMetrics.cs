using System.Diagnostics.Metrics;

namespace ApiTokens.Redis.Internal;

/// <summary>
/// The backplane's instruments on the app's <c>ApiTokens</c> meter (docs/observability.md): its state as a gauge, the changes
/// waiting to be published, outages, and the change messages published and received. Tags are a state or a message kind:
/// never an account, a channel or a node id.
/// </summary>
/// <remarks>
/// Without a meter factory (a bare service collection) the counters go to one process-wide <c>ApiTokens</c> meter and the
/// observable instruments, which read this node's state, are left out.
/// </remarks>
internal sealed class BackplaneMetrics
{
    public const string StateTag = "apitokens.backplane.state";
    public const string KindTag = "apitokens.backplane.message.kind";

    private static readonly Lazy<Meter> Shared = new(() => new Meter("ApiTokens"));

    private static readonly KeyValuePair<string, object?> AccountChangedKind = new(KindTag, "account_changed");
    private static readonly KeyValuePair<string, object?> ClearAllKind = new(KindTag, "clear_all");
    private static readonly KeyValuePair<string, object?> MalformedKind = new(KindTag, "malformed");

    private readonly Counter<long> _published;
    private readonly Counter<long> _received;
    private readonly Counter<long> _outages;

    public BackplaneMetrics(IMeterFactory? meterFactory, Func<BackplaneState> state, Func<int> pending)
    {
        var meter = meterFactory?.Create("ApiTokens") ?? Shared.Value;
        _published = meter.CreateCounter<long>(
            "apitokens.backplane.messages.published", "{message}", "Changes this node published to the other nodes, by kind.");
        _received = meter.CreateCounter<long>(
            "apitokens.backplane.messages.received", "{message}", "Changes from other nodes applied to this node's cache, by kind (malformed: ignored).");
        _outages = meter.CreateCounter<long>(
            "apitokens.backplane.outages", "{outage}", "Times the backplane went from connected to degraded (Redis lost, failing or silent).");
        if (meterFactory is null)
        {
            return;
        }

        meter.CreateObservableGauge(
            "apitokens.backplane.status",
            () => Status(state()),
            "1",
            "1 for the backplane's current state (connected, recovering, degraded), 0 for the others; only connected is healthy.");
        meter.CreateObservableUpDownCounter(
            "apitokens.backplane.pending_changes", pending, "{change}", "Changes made on this node that wait to be published (while degraded).");
    }

    public void Published(string kind) => _published.Add(1, Kind(kind));

    public void Received(string? kind) => _received.Add(1, kind is null ? MalformedKind : Kind(kind));

    public void Outage() => _outages.Add(1);

    /// <summary>The state as the gauge's tag and the health check's data name it.</summary>
    public static string StateName(BackplaneState state) => state switch
    {
        BackplaneState.Connected => "connected",
        BackplaneState.Recovering => "recovering",
        _ => "degraded",
    };

    private static KeyValuePair<string, object?> Kind(string kind) =>
        kind == RedisBackplaneMessage.ClearAll ? ClearAllKind : AccountChangedKind;

    private static Measurement<int>[] Status(BackplaneState state) =>
    [
        new(state == BackplaneState.Connected ? 1 : 0, new KeyValuePair<string, object?>(StateTag, StateName(BackplaneState.Connected))),
        new(state == BackplaneState.Recovering ? 1 : 0, new KeyValuePair<string, object?>(StateTag, StateName(BackplaneState.Recovering))),
        new(state == BackplaneState.Degraded ? 1 : 0, new KeyValuePair<string, object?>(StateTag, StateName(BackplaneState.Degraded))),
    ];
}
