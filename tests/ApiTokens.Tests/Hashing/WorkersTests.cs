using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Hashing;

/// <summary>
/// Every Argon2 run happens on the hash gate's dedicated workers: never on a thread-pool thread, at most
/// <c>MaxConcurrentHashes</c> at once, from a bounded queue with a deadline to start; a run taken out of the queue (deadline,
/// full queue, cancellation, the workers stopping) never runs later. A request the cache answers completes while every worker
/// is held.
/// </summary>
public sealed class WorkersTests
{
    private const string Path = "/ping";

    /// <summary>Light Argon2 that records where and with what each run happened, and can hold every run until the test lets it go.</summary>
    private sealed class ControlledHasher : IApiTokenHasher
    {
        private readonly Argon2ApiTokenHasher _inner = new(CountingHasher.TestParameters);
        private int _running;
        private int _maxRunning;

        /// <summary>While set, each run waits for a permit of <see cref="Permits"/>.</summary>
        public bool Holding { get; set; }

        public SemaphoreSlim Permits { get; } = new(0);

        /// <summary>Released once by each run as it starts.</summary>
        public SemaphoreSlim Entered { get; } = new(0);

        public ConcurrentQueue<(string Secret, Thread Thread, bool OnThreadPool, int? Nice)> Runs { get; } = new();

        public int MaxRunning => Volatile.Read(ref _maxRunning);

        public IEnumerable<string> Secrets => Runs.Select(r => r.Secret);

        public string Hash(string secret) => Run(secret, () => _inner.Hash(secret));

        public HashVerificationResult Verify(string hash, ReadOnlySpan<char> secret)
        {
            var value = secret.ToString();
            return Run(value, () => _inner.Verify(hash, value));
        }

        private T Run<T>(string secret, Func<T> work)
        {
            var running = Interlocked.Increment(ref _running);
            for (var max = MaxRunning; running > max && Interlocked.CompareExchange(ref _maxRunning, running, max) != max; max = MaxRunning)
            {
            }

            Runs.Enqueue((secret, Thread.CurrentThread, Thread.CurrentThread.IsThreadPoolThread, NiceOfThisThread()));
            Entered.Release();
            try
            {
                if (Holding)
                {
                    Assert.True(Permits.Wait(TimeSpan.FromSeconds(60)), "the test never let the run go");
                }

                return work();
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }

    /// <summary>The calling thread's nice value on Linux (field 19 of /proc/thread-self/stat, after the parenthesised name).</summary>
    private static int? NiceOfThisThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var stat = File.ReadAllText("/proc/thread-self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static ApiTokensTestServices Services(ControlledHasher hasher, int workers, TimeSpan queueTimeout, int? queued = null, int failures = 10) =>
        new ApiTokensTestHostBuilder()
            .ConfigureOptions(o =>
            {
                o.Verification.MaxConcurrentHashes = workers;
                o.Verification.HashQueueTimeout = queueTimeout;
                o.Verification.MaxQueuedHashes = queued;
                o.Verification.MaxFailuresPerSelector = failures;
            })
            .ConfigureServices(s => s.AddSingleton<IApiTokenHasher>(hasher))
            .BuildServices();

    /// <summary>Waits until <paramref name="runs"/> runs have started, all within one 30-second guard.</summary>
    private static async Task EnteredAsync(ControlledHasher hasher, int runs)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (var i = 0; i < runs; i++)
        {
            await hasher.Entered.WaitAsync(guard.Token);
        }
    }

    [Fact]
    public async Task Argon2_ForACreateAndARequest_RunsOnADedicatedWorker_NotOnAThreadPoolThread()
    {
        var hasher = new ControlledHasher();
        await using var host = await new ApiTokensTestHostBuilder()
            .ConfigureServices(s => s.AddSingleton<IApiTokenHasher>(hasher))
            .ConfigureApp(app => app.MapGet(Path, () => "pong").RequirePrivilege("list-accts"))
            .StartAsync();
        var root = host.Accounts.Add("root", "all");

        var created = await Task.Run(() => host.CreateTokenAsync(root, "deploy", ["list-accts"]));
        using var response = await host.GetAsync(Path, "root", created.PlaintextToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, hasher.Runs.Count); // the create's hash, the request's verification
        Assert.All(hasher.Runs, run => Assert.False(run.OnThreadPool, "Argon2 ran on a thread-pool thread"));
        Assert.All(hasher.Runs, run => Assert.True(run.Thread.IsBackground));
    }

    [Fact]
    public async Task Argon2_RunsBelowThePriorityOfTheThreadsThatAnswerRequests()
    {
        var hasher = new ControlledHasher();
        await using var services = Services(hasher, workers: 1, TimeSpan.FromSeconds(30));
        var gate = services.Services.GetRequiredService<HashGate>();

        Assert.NotNull(await gate.HashAsync("SECRET", CancellationToken.None));

        var run = Assert.Single(hasher.Runs);
        if (OperatingSystem.IsLinux())
        {
            var mine = NiceOfThisThread(); // the test's own thread, as every request thread
            Assert.True(run.Nice > mine, $"the worker's nice value is {run.Nice}, this thread's {mine}");
        }
        else
        {
            Assert.Equal(ThreadPriority.BelowNormal, run.Thread.Priority);
        }
    }

    [Fact]
    public async Task AtMostMaxConcurrentHashes_RunAtOnce_OnThatManyDedicatedThreads_TheRestQueue()
    {
        var hasher = new ControlledHasher { Holding = true };
        await using var services = Services(hasher, workers: 2, TimeSpan.FromMinutes(10));
        var gate = services.Services.GetRequiredService<HashGate>();

        var hashes = Enumerable.Range(0, 6).Select(i => gate.HashAsync($"SECRET{i}", CancellationToken.None).AsTask()).ToList();
        await EnteredAsync(hasher, 2);

        Assert.Equal(2, gate.ActiveHashes);
        Assert.Equal(4, gate.QueueLength);
        Assert.Equal(2, hasher.Runs.Count);

        hasher.Permits.Release(6);
        Assert.All(await Task.WhenAll(hashes).WaitAsync(TimeSpan.FromSeconds(30)), Assert.NotNull);
        Assert.Equal(6, hasher.Runs.Count);
        Assert.Equal(2, hasher.MaxRunning);
        Assert.Equal(2, hasher.Runs.Select(r => r.Thread.ManagedThreadId).Distinct().Count());
        Assert.All(hasher.Runs, run => Assert.False(run.OnThreadPool));
        Assert.Equal(0, gate.ActiveHashes);
        Assert.Equal(0, gate.QueueLength);
    }

    [Fact]
    public async Task AVerification_NoWorkerStartsBeforeItsDeadline_IsBusy_AndNeverRunsLater_NorCountsAsAFailure()
    {
        var hasher = new ControlledHasher();
        await using var services = Services(hasher, workers: 1, TimeSpan.FromMilliseconds(200), failures: 1);
        var gate = services.Services.GetRequiredService<HashGate>();
        var hash = await gate.HashAsync("RIGHTSECRET", CancellationToken.None);
        hasher.Holding = true;

        var first = gate.HashAsync("FIRST", CancellationToken.None).AsTask();
        await EnteredAsync(hasher, 2);
        var late = await gate.VerifyAsync("acct", "selector", hash!, "LATE", CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(GateVerdict.Busy, late);
        Assert.Equal(0, gate.QueueLength);
        hasher.Permits.Release(2);
        Assert.NotNull(await first.WaitAsync(TimeSpan.FromSeconds(30)));

        // The worker is free and the queue first-in first-out: a run queued now starts only after anything left before it. With
        // one wrong secret allowed per selector, the right one still verifies: the busy refusal was not counted as a failure.
        Assert.Equal(GateVerdict.Success, await gate.VerifyAsync("acct", "selector", hash!, "RIGHTSECRET", CancellationToken.None));
        Assert.Equal(["RIGHTSECRET", "FIRST", "RIGHTSECRET"], hasher.Secrets);
    }

    [Fact]
    public async Task ARun_ThatFindsTheQueueFull_IsBusyAtOnce_WithoutWaitingItsDeadline_AndNeverRuns()
    {
        var hasher = new ControlledHasher { Holding = true };
        await using var services = Services(hasher, workers: 1, TimeSpan.FromMinutes(10), queued: 1);
        var gate = services.Services.GetRequiredService<HashGate>();

        var running = gate.HashAsync("RUNNING", CancellationToken.None).AsTask();
        await EnteredAsync(hasher, 1);
        var queued = gate.HashAsync("QUEUED", CancellationToken.None).AsTask();
        Assert.Equal(1, gate.QueueLength);

        Assert.Null(await gate.HashAsync("OVERFLOW", CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        hasher.Permits.Release(2);
        Assert.NotNull(await running.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.NotNull(await queued.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["RUNNING", "QUEUED"], hasher.Secrets);
    }

    [Fact]
    public async Task ARun_ThatCouldNotStartInTime_JudgingByHowLongRunsTakeHere_IsBusyAtOnce_AndNeverRuns()
    {
        var hasher = new ControlledHasher { Holding = true };
        await using var services = Services(hasher, workers: 1, TimeSpan.FromSeconds(1));
        var gate = services.Services.GetRequiredService<HashGate>();

        // A first run that lasts longer than the deadline: it is held until a run queued behind it has waited its deadline out.
        var slow = gate.HashAsync("SLOW", CancellationToken.None).AsTask();
        await EnteredAsync(hasher, 1);
        Assert.Null(await gate.HashAsync("TIMEDOUT", CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        hasher.Permits.Release();
        Assert.NotNull(await slow.WaitAsync(TimeSpan.FromSeconds(30)));

        // With the worker busy again, one run may queue (it could start when the running one ends); a second behind it could
        // not start within the deadline at that speed: refused at once, while the first still waits.
        var running = gate.HashAsync("RUNNING", CancellationToken.None).AsTask();
        await EnteredAsync(hasher, 1);
        var next = gate.HashAsync("NEXT", CancellationToken.None).AsTask();
        Assert.Null(await gate.HashAsync("HOPELESS", CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, gate.QueueLength);

        hasher.Permits.Release(2);
        Assert.NotNull(await running.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.NotNull(await next.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["SLOW", "RUNNING", "NEXT"], hasher.Secrets);
    }

    [Fact]
    public async Task ACancelledRun_LeavesTheQueueAtOnce_AndNeverRuns()
    {
        var hasher = new ControlledHasher { Holding = true };
        await using var services = Services(hasher, workers: 1, TimeSpan.FromMinutes(10));
        var gate = services.Services.GetRequiredService<HashGate>();
        var running = gate.HashAsync("RUNNING", CancellationToken.None).AsTask();
        await EnteredAsync(hasher, 1);
        using var cancel = new CancellationTokenSource();

        var cancelled = gate.HashAsync("CANCELLED", cancel.Token).AsTask();
        Assert.Equal(1, gate.QueueLength);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, gate.QueueLength);
        hasher.Permits.Release(2);
        Assert.NotNull(await running.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.NotNull(await gate.HashAsync("AFTER", CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["RUNNING", "AFTER"], hasher.Secrets);
    }

    [Fact]
    public async Task Dispose_LetsTheRunningHashFinish_RefusesWhatWasQueuedAndWhatComesAfter_AndEndsTheWorkers()
    {
        var hasher = new ControlledHasher { Holding = true };
        await using var services = Services(hasher, workers: 1, TimeSpan.FromMinutes(10));
        var gate = services.Services.GetRequiredService<HashGate>();
        var running = gate.HashAsync("RUNNING", CancellationToken.None).AsTask();
        await EnteredAsync(hasher, 1);
        var queued = gate.HashAsync("QUEUED", CancellationToken.None).AsTask();

        gate.Dispose();

        Assert.Null(await queued.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Null(await gate.HashAsync("AFTER", CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        hasher.Permits.Release(3);
        Assert.NotNull(await running.WaitAsync(TimeSpan.FromSeconds(30)));
        var worker = Assert.Single(hasher.Runs).Thread;
        Assert.True(worker.Join(TimeSpan.FromSeconds(30)), "the worker thread did not end");
        Assert.Equal(["RUNNING"], hasher.Secrets);
        Assert.Equal(0, gate.QueueLength);
    }

    [Fact]
    public async Task ACachedRequest_IsAnswered_WhileEveryWorkerIsHeldAndMoreHashesQueue_ThenEveryColdTokenGets200()
    {
        const int Workers = 64;
        var hasher = new ControlledHasher();
        await using var host = await new ApiTokensTestHostBuilder()
            .ConfigureOptions(o =>
            {
                o.Verification.MaxConcurrentHashes = Workers;
                o.Verification.HashQueueTimeout = TimeSpan.FromMinutes(10);
            })
            .ConfigureServices(s => s.AddSingleton<IApiTokenHasher>(hasher))
            .ConfigureApp(app => app.MapGet(Path, () => "pong").RequirePrivilege("list-accts"))
            .StartAsync();
        var gate = host.Services.GetRequiredService<HashGate>();
        var warm = await CreateAsync(host, "warm");
        using (var first = await host.GetAsync(Path, "warm", warm))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var cold = new List<(string User, string Token)>();
        for (var i = 0; i < Workers + 16; i++)
        {
            cold.Add(($"cold{i}", await CreateAsync(host, $"cold{i}")));
        }

        hasher.Holding = true;
        var runsBefore = hasher.Runs.Count;
        var storm = cold.Select(c => host.GetAsync(Path, c.User, c.Token)).ToList();
        await EnteredAsync(hasher, runsBefore + Workers);
        Assert.Equal(Workers, gate.ActiveHashes);

        using (var cached = await host.GetAsync(Path, "warm", warm).WaitAsync(TimeSpan.FromSeconds(30)))
        {
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
            Assert.Equal("pong", await cached.Content.ReadAsStringAsync());
        }

        Assert.Equal(Workers, gate.ActiveHashes); // answered while every worker was still held
        hasher.Permits.Release(Workers + 16);
        var answers = await Task.WhenAll(storm).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(runsBefore + Workers + 16, hasher.Runs.Count); // one Argon2 per cold token, none for the cached one
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    private static async Task<string> CreateAsync(ApiTokensTestHost host, string user)
    {
        var account = host.Accounts.Add(user, "all");
        return (await host.CreateTokenAsync(account, "script", ["list-accts"])).PlaintextToken;
    }
}
