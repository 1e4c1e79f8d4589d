namespace ApiTokens;

/// <summary>
/// How many Argon2 checks leak reports may cost (one per mapped leak endpoint, on the app's clock, fixed windows): per reporter
/// (an IPv4 address, an IPv6 /64) at most <c>failedPerReporter</c> checks that <em>failed</em> per window (a reporter's real
/// leaks cost it nothing), and for all reporters together at most <c>checksPerWindow</c> checks that ran, failed or not. A check
/// takes a place in both before it runs and holds it until it is known to have run and failed, so concurrent reports never
/// take a reporter or the whole past its limit. 0 turns a limit off.
/// </summary>
internal sealed class LeakCheckBudget
{
    /// <summary>Past this many reporters, closed windows are dropped (as the hash gate drops its own).</summary>
    internal const int TrimAbove = 4096;

    private readonly Dictionary<string, BudgetWindow> _reporters = new(StringComparer.Ordinal);
    private readonly BudgetWindow _overall = new();
    private readonly Lock _gate = new();
    private readonly int _failedPerReporter;
    private readonly int _checksPerWindow;
    private readonly long _window;
    private readonly TimeProvider _time;

    public LeakCheckBudget(int failedPerReporter, int checksPerWindow, TimeSpan window, TimeProvider time)
    {
        _failedPerReporter = failedPerReporter;
        _checksPerWindow = checksPerWindow;
        _window = window.Ticks;
        _time = time;
    }

    /// <summary>Takes a place for one check by <paramref name="reporter"/>; false (nothing taken) when either limit is reached.</summary>
    public bool TryReserve(string reporter, out Reservation reservation)
    {
        reservation = default;
        var now = _time.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            if (_checksPerWindow > 0 && !_overall.CanReserve(now, _window, _checksPerWindow))
            {
                return false;
            }

            BudgetWindow? own = null;
            if (_failedPerReporter > 0)
            {
                if (!_reporters.TryGetValue(reporter, out own))
                {
                    Trim(now);
                    own = new BudgetWindow();
                    _reporters.Add(reporter, own);
                }

                if (!own.CanReserve(now, _window, _failedPerReporter))
                {
                    return false;
                }

                own.Running++;
            }

            if (_checksPerWindow > 0)
            {
                _overall.Running++;
            }

            reservation = new Reservation(own, _checksPerWindow > 0);
            return true;
        }
    }

    /// <summary>
    /// Gives a place back: the check counts for all reporters when <paramref name="ran"/> (an Argon2 run), and for its reporter
    /// when it <paramref name="failed"/> (a wrong value for a real selector).
    /// </summary>
    public void Complete(in Reservation reservation, bool ran, bool failed)
    {
        var now = _time.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            if (reservation.Reporter is { } own)
            {
                own.Running--;
                if (failed)
                {
                    own.Count(now, _window);
                }
            }

            if (reservation.Overall)
            {
                _overall.Running--;
                if (ran)
                {
                    _overall.Count(now, _window);
                }
            }
        }
    }

    private void Trim(long now)
    {
        if (_reporters.Count < TrimAbove)
        {
            return;
        }

        foreach (var (key, window) in _reporters)
        {
            if (window.Running == 0 && now - window.Start >= _window)
            {
                _reporters.Remove(key);
            }
        }
    }

    /// <summary>A place taken by <see cref="TryReserve"/>, given back by <see cref="Complete"/>.</summary>
    internal readonly record struct Reservation(BudgetWindow? Reporter, bool Overall);

    /// <summary>One fixed window: what it counted since <see cref="Start"/>, and the checks running now. Guarded by the budget's lock.</summary>
    internal sealed class BudgetWindow
    {
        public long Start { get; private set; }

        public int Counted { get; private set; }

        public int Running { get; set; }

        public bool CanReserve(long now, long window, int limit)
        {
            Roll(now, window);
            return Counted + Running < limit;
        }

        public void Count(long now, long window)
        {
            Roll(now, window);
            Counted++;
        }

        private void Roll(long now, long window)
        {
            if (now - Start >= window)
            {
                Start = now;
                Counted = 0;
            }
        }
    }
}
