using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Tests.ClientLimits;

/// <summary>
/// The limiter itself: bounded memory under a flood from many addresses (at most <c>MaxTrackedClients</c> entries, room made as
/// windows pass, the full table said once per window), and the <see cref="PartitionedRateLimiter{TResource}"/> face: one permit
/// per refused credential, a failed lease with <see cref="MetadataName.RetryAfter"/> while blocked.
/// </summary>
public sealed class ClientFailureLimiterTests
{
    private static (ClientFailureLimiter Limiter, FakeTimeProvider Time, CapturingLoggerProvider Log) Create(Action<ApiTokenClientLimitsOptions>? configure = null)
    {
        var options = new ApiTokenClientLimitsOptions { MaxFailures = 3, MaxTrackedClients = 100 };
        configure?.Invoke(options);
        var time = new FakeTimeProvider(ApiTokensTestHostBuilder.DefaultStart);
        var log = new CapturingLoggerProvider();
        return (new ClientFailureLimiter(options, time, log.CreateLogger("test")), time, log);
    }

    private static IPAddress Address(int i) => new([198, 18, (byte)(i >> 8), (byte)i]);

    [Fact]
    public void AFloodFromManyAddresses_TracksAtMostMaxTrackedClients_AndMakesRoomOnceTheirWindowsPass()
    {
        var (limiter, time, log) = Create();

        for (var i = 0; i < 1000; i++)
        {
            limiter.RecordFailure(Address(i));
        }

        Assert.Equal(100, limiter.TrackedClients);
        Assert.Single(log.Lines, l => l.EventId == 1903);

        // Every tracked address is still counting: nothing is dropped, new ones are not counted.
        time.Advance(TimeSpan.FromSeconds(30));
        for (var i = 1000; i < 1100; i++)
        {
            limiter.RecordFailure(Address(i));
        }

        Assert.Equal(100, limiter.TrackedClients);

        // Once their window has passed, they make room.
        time.Advance(TimeSpan.FromSeconds(31));
        limiter.RecordFailure(Address(2000));
        Assert.Equal(1, limiter.TrackedClients);
        Assert.Single(log.Lines, l => l.EventId == 1903);
    }

    [Fact]
    public void BlockedClients_AreNeverDroppedToMakeRoom()
    {
        var (limiter, time, _) = Create(o => o.BlockFor = TimeSpan.FromMinutes(15));
        for (var i = 0; i < 3; i++)
        {
            limiter.RecordFailure(Address(1));
        }

        time.Advance(TimeSpan.FromMinutes(5));
        for (var i = 2; i < 500; i++)
        {
            limiter.RecordFailure(Address(i));
        }

        time.Advance(TimeSpan.FromMinutes(2));
        limiter.RecordFailure(Address(900));
        Assert.True(limiter.IsBlocked(Address(1), out var retryAfter));
        Assert.Equal(8 * 60, retryAfter);
    }

    [Fact]
    public void AsAPartitionedRateLimiter_EachPermitIsARefusal_AndABlockedClientGetsAFailedLeaseWithRetryAfter()
    {
        var (limiter, _, _) = Create();
        PartitionedRateLimiter<IPAddress?> asLimiter = limiter;
        var client = IPAddress.Parse("203.0.113.7");

        using (var first = asLimiter.AttemptAcquire(client, 2))
        {
            Assert.True(first.IsAcquired);
        }

        Assert.Equal(1, asLimiter.GetStatistics(client)!.CurrentAvailablePermits);
        using (var check = asLimiter.AttemptAcquire(client, 0))
        {
            Assert.True(check.IsAcquired);
        }

        using var last = asLimiter.AttemptAcquire(client, 1);
        Assert.False(last.IsAcquired);
        Assert.True(last.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromMinutes(15), retryAfter);
        Assert.Equal(0, asLimiter.GetStatistics(client)!.CurrentAvailablePermits);

        // Not limited at all: no address, or loopback while exempt.
        Assert.Null(asLimiter.GetStatistics(null));
        Assert.Null(asLimiter.GetStatistics(IPAddress.Loopback));
        Assert.Null(asLimiter.GetStatistics(IPAddress.Parse("::ffff:127.0.0.1")));
    }
}
