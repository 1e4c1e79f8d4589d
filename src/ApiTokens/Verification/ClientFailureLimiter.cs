using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// Refused credentials per client address (<see cref="ApiTokenClientLimitsOptions"/>), as a
/// <see cref="PartitionedRateLimiter{TResource}"/> partitioned by address: each refused credential takes one permit of the
/// client's fixed window; the permit that empties it blocks the client for <see cref="ApiTokenClientLimitsOptions.BlockFor"/>,
/// during which every acquisition (zero permits too: "may this client use the slow path?") fails with
/// <see cref="MetadataName.RetryAfter"/>.
/// </summary>
/// <remarks>
/// Not built from <see cref="PartitionedRateLimiter.Create{TResource, TPartitionKey}"/>: its partitions run on the wall clock
/// (no <see cref="TimeProvider"/>), are dropped by a background timer only after 10 s idle, are unbounded in number under a flood
/// from many addresses, and know no block period. Here: one entry per client (an IPv4 address, or the IPv6 address cut to
/// <see cref="ApiTokenClientLimitsOptions.IPv6PrefixLength"/> bits) in one dictionary of at most
/// <see cref="ApiTokenClientLimitsOptions.MaxTrackedClients"/> entries, swept at most once per second when full and once per window
/// otherwise, on the app's clock. The success path never comes here: <see cref="AnyBlocked"/> is one volatile read.
/// </remarks>
internal sealed class ClientFailureLimiter : PartitionedRateLimiter<IPAddress?>
{
    private static readonly long SweepWhenFullTicks = TimeSpan.FromSeconds(1).Ticks;

    private readonly ConcurrentDictionary<UInt128, Client> _clients = new();
    private readonly ApiTokenClientLimitsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ApiTokensMetrics? _metrics;
    private readonly UInt128 _ipv6Mask;
    private readonly long _windowTicks;
    private readonly long _blockTicks;
    private int _blocked;
    private long _lastSweepTicks;
    private long _lastFullWarningTicks = long.MinValue;
    private int _proxyWarned;

    public ClientFailureLimiter(ApiTokenClientLimitsOptions options, TimeProvider time, ILogger logger, ApiTokensMetrics? metrics = null)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        metrics?.ObserveClientLimits(() => Volatile.Read(ref _blocked), () => _clients.Count);
        _windowTicks = options.Window.Ticks;
        _blockTicks = options.BlockFor.Ticks;
        _ipv6Mask = options.IPv6PrefixLength >= 128 ? UInt128.MaxValue : ~(UInt128.MaxValue >> options.IPv6PrefixLength);
        _lastSweepTicks = time.GetUtcNow().UtcTicks;
    }

    /// <summary>Whether limits are on (<see cref="ApiTokenClientLimitsOptions.Enabled"/>).</summary>
    public bool Enabled => _options.Enabled;

    /// <summary>Whether any client may be blocked now (one may have been released since): otherwise no lookup is needed.</summary>
    public bool AnyBlocked => Volatile.Read(ref _blocked) > 0;

    /// <summary>How many addresses are tracked now.</summary>
    public int TrackedClients => _clients.Count;

    /// <summary>Whether the client of <paramref name="address"/> is blocked now; then how long until it is released, in whole seconds (at least 1).</summary>
    public bool IsBlocked(IPAddress? address, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        if (!AnyBlocked || !TryGetKey(address, out var key) || !_clients.TryGetValue(key, out var client))
        {
            return false;
        }

        var now = Now;
        var until = client.BlockedUntil(now, this, key);
        if (until == 0)
        {
            return false;
        }

        retryAfterSeconds = RetryAfterSeconds(until - now);
        _metrics?.ClientBlocked();
        return true;
    }

    /// <summary>Counts one refused credential from <paramref name="address"/>; blocks its client at the limit.</summary>
    public void RecordFailure(IPAddress? address)
    {
        if (!TryGetKey(address, out var key))
        {
            return;
        }

        var now = Now;
        SweepIfDue(now);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (!_clients.TryGetValue(key, out var client))
            {
                if (_clients.Count >= _options.MaxTrackedClients && !MakeRoom(now))
                {
                    return;
                }

                client = _clients.GetOrAdd(key, static _ => new Client());
            }

            if (client.TryRecord(now, this, key))
            {
                return;
            }

            // Swept away between the lookup and the lock: count it in a fresh entry.
        }
    }

    /// <summary>
    /// Said once: a refused credential from a loopback peer that carries a forwarding header (exempt, like every loopback client)
    /// probably comes through a reverse proxy whose forwarded headers are not set up.
    /// </summary>
    public void NoteLoopbackWithForwardingHeader(IPAddress address)
    {
        if (_options.Enabled && _options.ExemptLoopback && Interlocked.Exchange(ref _proxyWarned, 1) == 0)
        {
            Log.ClientLimitsBehindUnconfiguredProxy(_logger, address.ToString());
        }
    }

    /// <inheritdoc />
    /// <remarks>One permit is one refused credential; zero permits asks whether the client may use the slow path now.</remarks>
    protected override RateLimitLease AttemptAcquireCore(IPAddress? resource, int permitCount)
    {
        if (permitCount > 0)
        {
            for (var i = 0; i < permitCount; i++)
            {
                RecordFailure(resource);
            }
        }

        return IsBlocked(resource, out var seconds) ? new Lease(false, TimeSpan.FromSeconds(seconds)) : Lease.Acquired;
    }

    /// <inheritdoc />
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(IPAddress? resource, int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(resource, permitCount));

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics(IPAddress? resource)
    {
        if (!TryGetKey(resource, out var key))
        {
            return null;
        }

        var failures = _clients.TryGetValue(key, out var client) ? client.FailuresIn(Now, _windowTicks) : 0;
        return new RateLimiterStatistics { CurrentAvailablePermits = Math.Max(0, _options.MaxFailures - failures) };
    }

    private long Now => _time.GetUtcNow().UtcTicks;

    /// <summary>
    /// The client key of an address, or false when it is not limited (limits off, no address, an exempt loopback address): an
    /// IPv4 address as its IPv4-mapped IPv6 form, any other IPv6 address cut to the prefix length.
    /// </summary>
    private bool TryGetKey(IPAddress? address, out UInt128 key)
    {
        key = default;
        if (!_options.Enabled || address is null || (_options.ExemptLoopback && IPAddress.IsLoopback(address)))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
            if (_options.ExemptLoopback && IPAddress.IsLoopback(address))
            {
                return false;
            }
        }

        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            bytes[..10].Clear();
            bytes[10] = 0xFF;
            bytes[11] = 0xFF;
            address.TryWriteBytes(bytes[12..], out _);
            key = BinaryPrimitives.ReadUInt128BigEndian(bytes);
            return true;
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || !address.TryWriteBytes(bytes, out _))
        {
            return false;
        }

        key = BinaryPrimitives.ReadUInt128BigEndian(bytes) & _ipv6Mask;
        return true;
    }

    /// <summary>The client a key stands for, as the log shows it: <c>203.0.113.7</c> or <c>2001:db8:1:2::/64</c>.</summary>
    private string Describe(UInt128 key)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, key);
        var address = new IPAddress(bytes);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString()
            : _options.IPv6PrefixLength >= 128 ? address.ToString()
            : string.Concat(address.ToString(), "/", _options.IPv6PrefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static int RetryAfterSeconds(long ticks) => (int)Math.Clamp(Math.Ceiling(TimeSpan.FromTicks(ticks).TotalSeconds), 1, int.MaxValue);

    private void SweepIfDue(long now)
    {
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now - last >= _windowTicks && Interlocked.CompareExchange(ref _lastSweepTicks, now, last) == last)
        {
            Sweep(now);
        }
    }

    /// <summary>Room for one more client: a sweep (at most once per second while full), else false (logged once per window).</summary>
    private bool MakeRoom(long now)
    {
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now - last >= SweepWhenFullTicks && Interlocked.CompareExchange(ref _lastSweepTicks, now, last) == last)
        {
            Sweep(now);
        }

        if (_clients.Count < _options.MaxTrackedClients)
        {
            return true;
        }

        var warned = Interlocked.Read(ref _lastFullWarningTicks);
        if ((warned == long.MinValue || now - warned >= _windowTicks) && Interlocked.CompareExchange(ref _lastFullWarningTicks, now, warned) == warned)
        {
            Log.ClientTableFull(_logger, _clients.Count);
        }

        return false;
    }

    /// <summary>Drops every client whose window has passed and that is not blocked (releasing those whose block ended).</summary>
    private void Sweep(long now)
    {
        foreach (var (key, client) in _clients)
        {
            if (client.TryRetire(now, this, key))
            {
                _clients.TryRemove(new KeyValuePair<UInt128, Client>(key, client));
            }
        }
    }

    private void Blocked(UInt128 key, int failures, long until)
    {
        Interlocked.Increment(ref _blocked);
        Log.ClientBlocked(_logger, Describe(key), failures, _options.Window, new DateTimeOffset(until, TimeSpan.Zero));
    }

    private void Released(UInt128 key, long until)
    {
        Interlocked.Decrement(ref _blocked);
        Log.ClientReleased(_logger, Describe(key), new DateTimeOffset(until, TimeSpan.Zero));
    }

    /// <summary>One client's window and block. Every field is read and written under its lock.</summary>
    private sealed class Client
    {
        private readonly Lock _lock = new();
        private long _windowStart;
        private int _failures;
        private long _blockedUntil;
        private bool _retired;

        /// <summary>Counts a failure unless the entry was retired (then the caller makes a new one). A blocked client's block is not extended.</summary>
        public bool TryRecord(long now, ClientFailureLimiter limiter, UInt128 key)
        {
            lock (_lock)
            {
                if (_retired)
                {
                    return false;
                }

                ReleaseIfEnded(now, limiter, key);
                if (_blockedUntil != 0)
                {
                    return true;
                }

                if (_failures == 0 || now - _windowStart >= limiter._windowTicks)
                {
                    _windowStart = now;
                    _failures = 0;
                }

                _failures++;
                if (_failures >= limiter._options.MaxFailures)
                {
                    _blockedUntil = now + limiter._blockTicks;
                    limiter.Blocked(key, _failures, _blockedUntil);
                }

                return true;
            }
        }

        /// <summary>When the block ends (ticks), or 0 when the client is not blocked now.</summary>
        public long BlockedUntil(long now, ClientFailureLimiter limiter, UInt128 key)
        {
            lock (_lock)
            {
                ReleaseIfEnded(now, limiter, key);
                return _blockedUntil;
            }
        }

        public int FailuresIn(long now, long window)
        {
            lock (_lock)
            {
                return _blockedUntil != 0 ? int.MaxValue : now - _windowStart < window ? _failures : 0;
            }
        }

        /// <summary>Marks the entry retired (removable) when it is not blocked and its window has passed.</summary>
        public bool TryRetire(long now, ClientFailureLimiter limiter, UInt128 key)
        {
            lock (_lock)
            {
                ReleaseIfEnded(now, limiter, key);
                if (_blockedUntil != 0 || (_failures > 0 && now - _windowStart < limiter._windowTicks))
                {
                    return false;
                }

                _retired = true;
                return true;
            }
        }

        private void ReleaseIfEnded(long now, ClientFailureLimiter limiter, UInt128 key)
        {
            if (_blockedUntil == 0 || now < _blockedUntil)
            {
                return;
            }

            limiter.Released(key, _blockedUntil);
            _blockedUntil = 0;
            _failures = 0;
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } value && string.Equals(metadataName, MetadataName.RetryAfter.Name, StringComparison.Ordinal))
            {
                metadata = value;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
