using System.Globalization;
using System.Text;

namespace ApiTokens.Authentication;

/// <summary>
/// Counts failed whm authentications on this node and says when they spike: once <see cref="Threshold"/> failures fall within one
/// <see cref="Window"/>, it returns a summary of every failure since the previous summary (counts by reason), and then not again
/// until a <see cref="Window"/> has passed since that summary. No timer: the check runs on each failure. Thread-safe.
/// </summary>
/// <remarks>
/// A spike's tail after the last summary is summarized by the next spike; each failure is always in the Debug log (event 1001).
/// </remarks>
internal sealed class WhmFailureSummary
{
    /// <summary>At most one summary per this interval; also the span within which <see cref="Threshold"/> failures make a spike.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>This many failures within one <see cref="Window"/> are a spike.</summary>
    public const int Threshold = 10;

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<ApiTokenFailureReason, int> _pending = [];
    private int _pendingCount;
    private DateTimeOffset _pendingSince;
    private DateTimeOffset _windowStart;
    private int _windowCount;
    private DateTimeOffset? _lastSummary;

    public WhmFailureSummary(TimeProvider time) => _time = time;

    /// <summary>Records one failure; returns the summary to log when this failure completes a spike, otherwise <see langword="null"/>.</summary>
    public Summary? Record(ApiTokenFailureReason reason)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_windowCount == 0 || now - _windowStart >= Window)
            {
                _windowStart = now;
                _windowCount = 0;
            }

            if (_pendingCount == 0)
            {
                _pendingSince = now;
            }

            _windowCount++;
            _pendingCount++;
            _pending[reason] = _pending.GetValueOrDefault(reason) + 1;
            if (_windowCount < Threshold || (_lastSummary is { } last && now - last < Window))
            {
                return null;
            }

            var summary = new Summary(_pendingCount, _pendingSince, Describe(_pending));
            _pending.Clear();
            _pendingCount = 0;
            _lastSummary = now;
            return summary;
        }
    }

    private static string Describe(Dictionary<ApiTokenFailureReason, int> counts)
    {
        var text = new StringBuilder();
        foreach (var (reason, count) in counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key))
        {
            text.Append(text.Length == 0 ? string.Empty : ", ").Append(reason.ToString()).Append(' ').Append(count.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>What a summary line says: how many failures since when, and how many of each reason (most frequent first).</summary>
    internal readonly record struct Summary(int Count, DateTimeOffset Since, string Reasons);
}
