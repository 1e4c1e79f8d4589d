using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace WhmAdmin;

/// <summary>
/// Limits failed logins per user name and per address (<c>WhmAdmin:LoginMaxFailures</c>,
/// <c>WhmAdmin:LoginMaxFailuresPerAddress</c>, <c>WhmAdmin:LoginFailureWindow</c>), on <see cref="System.Threading.RateLimiting"/>'s
/// fixed windows: only failures take a permit, and a blocked login is refused before the account lookup and the password hash, with
/// the same answer whether the user name exists or not. Idle partitions are dropped by the limiter itself.
/// </summary>
internal sealed class LoginThrottle : IDisposable
{
    /// <summary>User names longer than this share one partition: no account has one, and the key stays bounded.</summary>
    private const int MaxKeyLength = 64;

    private readonly PartitionedRateLimiter<string> _limiter;

    public LoginThrottle(IOptions<WhmAdminOptions> options)
    {
        var o = options.Value;
        Window = o.LoginFailureWindow;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
        {
            PermitLimit = k[0] == 'u' ? o.LoginMaxFailures : o.LoginMaxFailuresPerAddress,
            Window = o.LoginFailureWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>How long a block lasts at most.</summary>
    public TimeSpan Window { get; }

    /// <summary>Whether a login for <paramref name="userName"/> from <paramref name="address"/> may be tried now.</summary>
    public bool Allows(string userName, string? address)
    {
        using var user = _limiter.AttemptAcquire(UserKey(userName), 0);
        using var from = _limiter.AttemptAcquire(AddressKey(address), 0);
        return user.IsAcquired && from.IsAcquired;
    }

    /// <summary>Counts a failed login; <see langword="true"/> when this failure used the last permit of the user name or the address.</summary>
    public bool Failed(string userName, string? address)
    {
        var userKey = UserKey(userName);
        var addressKey = AddressKey(address);
        _limiter.AttemptAcquire(userKey, 1).Dispose();
        _limiter.AttemptAcquire(addressKey, 1).Dispose();
        using var user = _limiter.AttemptAcquire(userKey, 0);
        using var from = _limiter.AttemptAcquire(addressKey, 0);
        return !user.IsAcquired || !from.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();

    private static string UserKey(string userName) =>
        userName.Length > MaxKeyLength ? "u!" : "u:" + userName.ToLowerInvariant();

    private static string AddressKey(string? address) => "a:" + (address ?? "-");
}
