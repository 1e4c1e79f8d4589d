using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;

namespace ApiTokens;

/// <summary>
/// The leak endpoint's own rate limits (it needs no <c>UseRateLimiter</c>): fixed windows per client address (IPv4, or the /64 of
/// an IPv6 address, an IPv4-mapped address counting as IPv4) and overall, checked before the body is read. One per mapped endpoint.
/// </summary>
internal sealed class LeakRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress?>? _limiter;
    private readonly List<PartitionedRateLimiter<IPAddress?>> _limiters = new(2);
    private readonly TimeSpan _window;

    public LeakRateLimiter(LeakedTokenRevocationOptions options)
    {
        _window = options.Window;
        var limiters = _limiters;
        if (options.PermitsPerAddress > 0)
        {
            limiters.Add(PartitionedRateLimiter.Create<IPAddress?, string>(address =>
                RateLimitPartition.GetFixedWindowLimiter(PartitionKey(address), _ => Window(options.PermitsPerAddress))));
        }

        if (options.PermitsPerWindow > 0)
        {
            limiters.Add(PartitionedRateLimiter.Create<IPAddress?, string>(_ =>
                RateLimitPartition.GetFixedWindowLimiter(string.Empty, _ => Window(options.PermitsPerWindow))));
        }

        _limiter = limiters.Count switch
        {
            0 => null,
            1 => limiters[0],
            _ => PartitionedRateLimiter.CreateChained([.. limiters]),
        };

        FixedWindowRateLimiterOptions Window(int permits) => new()
        {
            PermitLimit = permits,
            Window = options.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    /// <summary>Takes a permit for one report; when none is left, how long until one may be, in whole seconds (at least 1).</summary>
    public bool TryAcquire(IPAddress? address, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        if (_limiter is null)
        {
            return true;
        }

        using var lease = _limiter.AttemptAcquire(address);
        if (lease.IsAcquired)
        {
            return true;
        }

        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _window;
        retryAfterSeconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        return false;
    }

    public void Dispose()
    {
        // A chained limiter does not own the limiters it chains.
        if (_limiters.Count > 1)
        {
            _limiter?.Dispose();
        }

        foreach (var limiter in _limiters)
        {
            limiter.Dispose();
        }
    }

    /// <summary>One partition per IPv4 address and per IPv6 /64 (one host usually holds a whole /64).</summary>
    internal static string PartitionKey(IPAddress? address)
    {
        if (address is null)
        {
            return "-";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
