using System.Threading.Channels;
using ApiTokens.Redis.Internal;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Redis.Tests;

/// <summary>
/// The heartbeat alone, without Redis, on a fake clock: when it beats, when a missing echo degrades the link, and what
/// does not count as an echo.
/// </summary>
public sealed class HeartbeatTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task HeartbeatsThatComeBack_NeverDegradeTheLink()
    {
        await using var run = Start(new FakeLink { Answering = true });

        for (var beat = 0; beat < 3; beat++)
        {
            await run.Link.NextSentAsync();
            run.Time.Advance(Interval);
        }

        run.Time.Advance(Timeout);
        Assert.Equal(0, run.Link.MissedCount);
    }

    [Fact]
    public async Task AHeartbeatThatDoesNotComeBack_DegradesTheLinkOnce_WhenTheTimeoutPasses()
    {
        await using var run = Start(new FakeLink { Answering = false });
        await run.Link.NextSentAsync();

        run.Time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, run.Link.MissedCount);
        run.Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal((1L, Timeout), await run.Link.NextMissedAsync());
        run.Time.Advance(Interval * 10);
        Assert.Equal(1, run.Link.SentCount);
        Assert.Equal(1, run.Link.MissedCount);
    }

    [Fact]
    public async Task AnEchoOfAnotherHeartbeat_DoesNotCount()
    {
        await using var run = Start(new FakeLink { Answering = false });
        var sent = await run.Link.NextSentAsync();

        run.Heartbeat.Echoed("another-node-or-an-older-beat");
        run.Heartbeat.Echoed(sent + "x");
        run.Time.Advance(Timeout);

        Assert.Equal((1L, Timeout), await run.Link.NextMissedAsync());
    }

    [Fact]
    public async Task AnEchoThatArrivesLate_DoesNotUndoTheMiss()
    {
        await using var run = Start(new FakeLink { Answering = false });
        var sent = await run.Link.NextSentAsync();
        run.Time.Advance(Timeout);
        await run.Link.NextMissedAsync();

        run.Heartbeat.Echoed(sent);

        Assert.Equal(1, run.Link.MissedCount);
        Assert.False(run.Link.IsConnected);
    }

    [Fact]
    public async Task AHeartbeatTheConnectionRefusesAtOnce_DegradesWithoutWaitingForTheTimeout()
    {
        await using var run = Start(new FakeLink { Refusing = true });

        Assert.Equal((1L, Timeout), await run.Link.NextMissedAsync());
    }

    [Fact]
    public async Task NoHeartbeat_WhileTheLinkIsNotConnected_AndTheFirstOnceItIs()
    {
        var link = new FakeLink { Answering = true };
        link.Disconnect();
        await using var run = Start(link);
        run.Time.Advance(Interval * 10);
        Assert.Equal(0, link.SentCount);

        link.Connect(connection: 7);

        await link.NextSentAsync();
        Assert.Equal(1, link.SentCount);
    }

    [Fact]
    public async Task AMissOnAnOlderConnection_NamesThatConnection()
    {
        var link = new FakeLink { Answering = false };
        await using var run = Start(link);
        await link.NextSentAsync();

        // The link lost and regained Redis while the heartbeat was out: the link ignores a verdict on connection 1.
        link.Connect(connection: 2);
        run.Time.Advance(Timeout);

        Assert.Equal((1L, Timeout), await link.NextMissedAsync());
    }

    [Fact]
    public async Task Stopping_EndsTheHeartbeat_WithoutAMiss()
    {
        var run = Start(new FakeLink { Answering = false });
        await run.Link.NextSentAsync();

        await run.DisposeAsync();

        Assert.True(run.Loop.IsCompletedSuccessfully);
        Assert.Equal(0, run.Link.MissedCount);
    }

    private static Run Start(FakeLink link)
    {
        var time = new FakeTimeProvider();
        var heartbeat = new RedisHeartbeat(link, Interval, Timeout, time);
        link.Heartbeat = heartbeat;
        var stopping = new CancellationTokenSource();
        return new Run(link, heartbeat, time, stopping, Task.Run(() => heartbeat.RunAsync(stopping.Token)));
    }

    private sealed record Run(FakeLink Link, RedisHeartbeat Heartbeat, FakeTimeProvider Time, CancellationTokenSource Stopping, Task Loop)
        : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Stopping.CancelAsync();
            await Loop.WaitAsync(TimeSpan.FromSeconds(10));
            Stopping.Dispose();
        }
    }

    /// <summary>A link that is connected when told, echoes (or not) what is sent, and records every verdict.</summary>
    private sealed class FakeLink : IHeartbeatLink
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
        private readonly Lock _gate = new();
        private readonly Channel<string> _sent = Channel.CreateUnbounded<string>();
        private readonly Channel<(long, TimeSpan)> _missed = Channel.CreateUnbounded<(long, TimeSpan)>();
        private TaskCompletionSource<long> _connected = NewConnected(1);
        private int _sentCount;
        private int _missedCount;

        public bool Answering { get; init; }

        public bool Refusing { get; init; }

        public RedisHeartbeat? Heartbeat { get; set; }

        public int SentCount => Volatile.Read(ref _sentCount);

        public int MissedCount => Volatile.Read(ref _missedCount);

        public bool IsConnected
        {
            get
            {
                lock (_gate)
                {
                    return _connected.Task.IsCompleted;
                }
            }
        }

        public void Connect(long connection)
        {
            lock (_gate)
            {
                if (!_connected.TrySetResult(connection))
                {
                    _connected = NewConnected(connection);
                }
            }
        }

        public void Disconnect()
        {
            lock (_gate)
            {
                _connected = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public Task<string> NextSentAsync() => _sent.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        public Task<(long, TimeSpan)> NextMissedAsync() => _missed.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        public Task<long> WaitUntilConnectedAsync(CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                return _connected.Task.WaitAsync(cancellationToken);
            }
        }

        public bool TrySendHeartbeat(string heartbeatId)
        {
            Interlocked.Increment(ref _sentCount);
            _sent.Writer.TryWrite(heartbeatId);
            if (Answering)
            {
                Heartbeat!.Echoed(heartbeatId);
            }

            return !Refusing;
        }

        public void HeartbeatMissed(long connection, TimeSpan timeout)
        {
            // As the link does: degraded until a probe comes back.
            Disconnect();
            Interlocked.Increment(ref _missedCount);
            _missed.Writer.TryWrite((connection, timeout));
        }

        private static TaskCompletionSource<long> NewConnected(long connection)
        {
            var connected = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            connected.SetResult(connection);
            return connected;
        }
    }
}
