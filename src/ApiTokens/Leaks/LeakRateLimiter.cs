using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;

namespace ApiTokens;

/// <summary>
/// The leak endpoint's own rate limits on reports (it needs no <c>UseRateLimiter</c>): fixed windows per client address (IPv4,
/// or the /64 of an IPv6 address, an IPv4-mapped address counting as IPv4), taken before the body is read, and overall, taken
/// only for a well-formed report with at least one value of the token format (so garbage never keeps real reporters out). One
/// per mapped endpoint. The Argon2 checks reports cost are bounded apart, by <see cref="LeakCheckBudget"/>.
/// </summary>
internal sealed class LeakRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress?>? _perAddress;
    private readonly RateLimiter? _overall;
    private readonly TimeSpan _window;

    public LeakRateLimiter(LeakedTokenRevocationOptions options)
    {
        _window = options.Window;
        if (options.PermitsPerAddress > 0)
        {
            _perAddress = PartitionedRateLimiter.Create<IPAddress?, string>(address =>
                RateLimitPartition.GetFixedWindowLimiter(PartitionKey(address), _ => Window(options.PermitsPerAddress)));
        }

        if (options.PermitsPerWindow > 0)
        {
            _overall = new FixedWindowRateLimiter(Window(options.PermitsPerWindow));
        }

        FixedWindowRateLimiterOptions Window(int permits) => new()
        {
            PermitLimit = permits,
            Window = options.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    /// <summary>Takes the address's permit for one report; when none is left, how long until one may be, in whole seconds (at least 1).</summary>
    public bool TryAcquireForAddress(IPAddress? address, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        if (_perAddress is null)
        {
            return true;
        }

        using var lease = _perAddress.AttemptAcquire(address);
        return Granted(lease, out retryAfterSeconds);
    }

    /// <summary>Takes the overall permit for one report worth looking up; as <see cref="TryAcquireForAddress"/> otherwise.</summary>
    public bool TryAcquireOverall(out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        if (_overall is null)
        {
            return true;
        }

        using var lease = _overall.AttemptAcquire();
        return Granted(lease, out retryAfterSeconds);
    }

    private bool Granted(RateLimitLease lease, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
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
        _perAddress?.Dispose();
        _overall?.Dispose();
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
