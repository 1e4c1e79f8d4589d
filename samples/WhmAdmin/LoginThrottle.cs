using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace WhmAdmin;

/// <summary>
/// Limits failed logins per user name and per address (<c>WhmAdmin:LoginMaxFailures</c>,
/// <c>WhmAdmin:LoginMaxFailuresPerAddress</c>, <c>WhmAdmin:LoginFailureWindow</c>), on <see cref="System.Threading.RateLimiting"/>'s
/// fixed windows: only failures take a permit, and a blocked login is refused before the account lookup and the password hash, with
/// the same answer whether the user name exists or not. One attempt per user name (and four per address) runs at a time, so a
/// burst of parallel guesses cannot all pass the check before the first failures are counted. Idle partitions are dropped by the
/// limiters themselves.
/// </summary>
internal sealed class LoginThrottle : IDisposable
{
    /// <summary>User names longer than this share one partition: no account has one, and the key stays bounded.</summary>
    private const int MaxKeyLength = 64;

    private const int ParallelAttemptsPerAddress = 4;

    private readonly PartitionedRateLimiter<string> _failures;
    private readonly PartitionedRateLimiter<string> _running;

    public LoginThrottle(IOptions<WhmAdminOptions> options)
    {
        var o = options.Value;
        Window = o.LoginFailureWindow;
        _failures = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
        {
            PermitLimit = k[0] == 'u' ? o.LoginMaxFailures : o.LoginMaxFailuresPerAddress,
            Window = o.LoginFailureWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        _running = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetConcurrencyLimiter(key, k => new ConcurrencyLimiterOptions
        {
            PermitLimit = k[0] == 'u' ? 1 : ParallelAttemptsPerAddress,
            QueueLimit = 0,
        }));
    }

    /// <summary>How long a block lasts at most.</summary>
    public TimeSpan Window { get; }

    /// <summary>
    /// Starts a login attempt for <paramref name="userName"/> from <paramref name="address"/>, or <see langword="null"/> when it may
    /// not be tried now (too many failures, or another attempt for the name is running). Dispose it when the attempt is over.
    /// </summary>
    public Attempt? TryBegin(string userName, IPAddress? address)
    {
        var userKey = UserKey(userName);
        var addressKey = AddressKey(address);
        var user = _running.AttemptAcquire(userKey);
        var from = _running.AttemptAcquire(addressKey);
        if (!user.IsAcquired || !from.IsAcquired || !HasPermit(userKey) || !HasPermit(addressKey))
        {
            user.Dispose();
            from.Dispose();
            return null;
        }

        return new Attempt(this, userKey, addressKey, user, from);
    }

    public void Dispose()
    {
        _failures.Dispose();
        _running.Dispose();
    }

    private bool HasPermit(string key)
    {
        using var lease = _failures.AttemptAcquire(key, 0);
        return lease.IsAcquired;
    }

    /// <summary>The name as it is compared: exactly (ROOT is not root, so failures as ROOT do not lock root out).</summary>
    private static string UserKey(string userName) => userName.Length > MaxKeyLength ? "u!" : "u:" + userName;

    /// <summary>An IPv4 client as IPv4 whatever the listener; an IPv6 client by its /64, which one subscriber usually holds whole.</summary>
    private static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "a:-";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return "a:" + (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? new IPNetwork(Prefix64(address), 64).ToString() : address.ToString());
    }

    private static IPAddress Prefix64(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    /// <summary>One login attempt in progress: holds its places until disposed.</summary>
    internal sealed class Attempt(LoginThrottle throttle, string userKey, string addressKey, RateLimitLease user, RateLimitLease from) : IDisposable
    {
        /// <summary>Counts the attempt as failed; <see langword="true"/> when it used the last permit of the name or the address.</summary>
        public bool Failed()
        {
            throttle._failures.AttemptAcquire(userKey, 1).Dispose();
            throttle._failures.AttemptAcquire(addressKey, 1).Dispose();
            return !throttle.HasPermit(userKey) || !throttle.HasPermit(addressKey);
        }

        public void Dispose()
        {
            user.Dispose();
            from.Dispose();
        }
    }
}
