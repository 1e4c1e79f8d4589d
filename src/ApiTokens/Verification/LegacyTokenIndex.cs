using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// This node's answer to "does the store hold rows made from cPanel credentials?" (digest selectors, see
/// <see cref="LegacyTokens"/>). It gates the whole legacy path: only while it is <see langword="true"/> does a native-format
/// miss get a second lookup, a value of another format get looked up at all, and a header longer than
/// <c>WhmTokenOptions.MaxHeaderLength</c> get read. It is read from the store when the app starts
/// (<see cref="LegacyTokenIndexStartup"/>), again every <see cref="ApiTokenOptions.LegacyTokenRefreshInterval"/> (in the
/// background, on the request that finds it due), and after any account change (so, with a backplane, an import on another
/// node is seen at the next request); an import on this node sets it at once.
/// </summary>
internal sealed class LegacyTokenIndex
{
    private const int Unknown = 0, Absent = 1, Present = 2;

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _intervalTicks;
    private readonly Lock _gate = new();
    private int _state;
    private int _stale = 1;
    private long _dueTicks;
    private long _setsSinceRead;
    private Task? _refresh;

    public LegacyTokenIndex(IServiceScopeFactory scopes, TimeProvider time, IOptions<ApiTokenOptions> options, ILogger<LegacyTokenIndex> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _scopes = scopes;
        _time = time;
        _logger = logger;
        _intervalTicks = Math.Max(TimeSpan.TicksPerSecond, options.Value.LegacyTokenRefreshInterval.Ticks);
    }

    /// <summary>
    /// Whether digest-selector rows are stored, as last read; never waits. A due refresh starts in the background, so the answer
    /// is at most one interval old. Unknown (the store has not answered yet) counts as none.
    /// </summary>
    public bool MayExist
    {
        get
        {
            var state = Volatile.Read(ref _state);
            if (Volatile.Read(ref _stale) == 1 || _time.GetUtcNow().UtcTicks >= Interlocked.Read(ref _dueTicks))
            {
                _ = RefreshAsync();
            }

            return state == Present;
        }
    }

    /// <summary>
    /// Whether the answer must be read before it is used: nothing read yet (a host that was never started), or an account changed
    /// since (perhaps an import on another node, announced by a backplane).
    /// </summary>
    public bool NeedsRead => Volatile.Read(ref _stale) == 1;

    /// <summary>Like <see cref="MayExist"/>, but reads the store first when <see cref="NeedsRead"/>; otherwise answers at once.</summary>
    public ValueTask<bool> MayExistAsync() => NeedsRead ? ReadThenAnswerAsync() : ValueTask.FromResult(MayExist);

    private async ValueTask<bool> ReadThenAnswerAsync()
    {
        await RefreshAsync().ConfigureAwait(false);
        return Volatile.Read(ref _state) == Present;
    }

    /// <summary>Tokens with digest selectors were just stored through this node: look them up from now on.</summary>
    public void SetPresent()
    {
        Interlocked.Increment(ref _setsSinceRead);
        Volatile.Write(ref _state, Present);
    }

    /// <summary>An account changed (here or, through a backplane, elsewhere): it may have been an import, so read again soon.</summary>
    public void AccountChanged()
    {
        if (Volatile.Read(ref _state) != Present)
        {
            Volatile.Write(ref _stale, 1);
        }
    }

    /// <summary>Reads the store once (one flight for all callers); a fault keeps the last answer and is logged.</summary>
    public Task RefreshAsync()
    {
        lock (_gate)
        {
            if (_refresh is { IsCompleted: false } running)
            {
                return running;
            }

            // Due again only after this read, whatever it answers: a store that is down is asked once an interval, not per request.
            Volatile.Write(ref _stale, 0);
            Interlocked.Exchange(ref _dueTicks, _time.GetUtcNow().UtcTicks + _intervalTicks);
            return _refresh = ReadAsync();
        }
    }

    private async Task ReadAsync()
    {
        await Task.Yield();
        var sets = Interlocked.Read(ref _setsSinceRead);
        try
        {
            bool present;
            var scope = _scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var store = scope.ServiceProvider.GetRequiredService<IApiTokenStore>();
                present = await store.AnySelectorStartsWithAsync(LegacyTokens.SelectorPrefix, CancellationToken.None).ConfigureAwait(false);
            }

            // An import on this node while the store was read may not be in its answer: keep it.
            if (present || Interlocked.Read(ref _setsSinceRead) == sets)
            {
                Volatile.Write(ref _state, present ? Present : Absent);
            }
        }
#pragma warning disable CA1031 // A background read must never fault: the last answer stays, the next interval asks again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LegacyIndexUnavailable(_logger, ex);
        }
    }
}
