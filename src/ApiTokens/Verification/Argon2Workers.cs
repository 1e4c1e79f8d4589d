using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ApiTokens;

/// <summary>
/// The dedicated threads every Argon2 run of the process executes on (<see cref="HashGate"/> is the only caller): a fixed
/// set of <see cref="ApiTokenVerificationOptions.MaxConcurrentHashes"/> background threads fed by one bounded first-in,
/// first-out queue of <see cref="ApiTokenVerificationOptions.MaxQueuedHashes"/> jobs. Argon2 is tens to hundreds of
/// milliseconds of CPU that cannot yield; on thread-pool threads a burst of it (a restart with many distinct tokens) holds
/// the threads every other request needs, and the pool grows slowly. Here the pool only runs the requests, and each waits
/// for its job without holding a thread.
/// </summary>
/// <remarks>
/// Hand-written because no platform primitive runs CPU-bound work on dedicated threads with a bounded queue and a deadline
/// to start: the thread pool and <see cref="TaskScheduler"/>s share threads, <c>TaskCreationOptions.LongRunning</c> makes a
/// thread per job (unbounded), and a <see cref="ConcurrentExclusiveSchedulerPair"/> bounds concurrency on thread-pool threads.
/// The queue is a <see cref="BlockingCollection{T}"/> rather than a <c>System.Threading.Channels</c> channel because its
/// consumers are synchronous threads: a channel's reader is asynchronous, so a worker would block on a
/// <see cref="ValueTask"/> whose completion is itself run on the thread pool (or, with synchronous continuations, on the
/// requesting thread). A job is taken once: by a worker (<see cref="Argon2Job.TryStart"/>) or by its waiter giving up
/// (<see cref="TryAbandon"/>), so work past its deadline never runs later. A job that could not start before its deadline
/// anyway, judging by how long runs take here (<see cref="TypicalRun"/>), is not queued at all: its request is told at once,
/// instead of holding its connection until the deadline while the runs ahead of it use the workers up.
/// </remarks>
internal sealed class Argon2Workers : IDisposable
{
    private readonly BlockingCollection<Argon2Job> _queue;
    private int _queued;
    private int _active;
    private int _disposed;
    private long _runTicks;

    public Argon2Workers(int workers, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _queue = new BlockingCollection<Argon2Job>(new ConcurrentQueue<Argon2Job>(), capacity);
        Count = workers;
        for (var i = 0; i < workers; i++)
        {
            new Thread(Work)
            {
                IsBackground = true,
                Name = string.Create(CultureInfo.InvariantCulture, $"ApiTokens Argon2 {i + 1}"),
            }.Start();
        }
    }

    /// <summary>How many worker threads run jobs.</summary>
    public int Count { get; }

    /// <summary>Jobs queued that no worker has started and no waiter has abandoned.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Jobs running on a worker now.</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>
    /// How long a run takes here: a moving average of the runs' durations (each new one weighs a quarter), on this machine
    /// with this hasher and its load; zero until a run has finished.
    /// </summary>
    public TimeSpan TypicalRun => TimeSpan.FromSeconds(Volatile.Read(ref _runTicks) / (double)Stopwatch.Frequency);

    /// <summary>
    /// Queues <paramref name="job"/>; false (nothing queued) when the queue is full, the workers are stopped, or the jobs already
    /// queued would keep every worker busy past <paramref name="deadline"/> (each taking a <see cref="TypicalRun"/>, and the runs
    /// in progress counted as done, so a job that may still make it is queued).
    /// </summary>
    public bool TryQueue(Argon2Job job, TimeSpan deadline)
    {
        var run = Volatile.Read(ref _runTicks);
        if (run > 0 && (double)Queued / Count * run > deadline.TotalSeconds * Stopwatch.Frequency)
        {
            return false;
        }

        // Counted first, so a worker that starts the job at once never takes the count below zero.
        Interlocked.Increment(ref _queued);
        bool added;
        try
        {
            added = Volatile.Read(ref _disposed) == 0 && _queue.TryAdd(job);
        }
        catch (InvalidOperationException)
        {
            added = false; // stopped between the check and the add
        }

        if (!added)
        {
            Interlocked.Decrement(ref _queued);
        }

        return added;
    }

    /// <summary>Takes <paramref name="job"/> back if no worker has started it: it will never run. False when it has started.</summary>
    public bool TryAbandon(Argon2Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!job.TryAbandon())
        {
            return false;
        }

        Interlocked.Decrement(ref _queued);
        return true;
    }

    /// <summary>
    /// Stops the workers: each finishes the job it is running and exits; jobs still queued never run, their waiters are told
    /// (<see cref="Argon2Job.Drop"/>), and nothing more is queued.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.CompleteAdding();
        while (_queue.TryTake(out var job))
        {
            if (TryAbandon(job))
            {
                job.Drop();
            }
        }
    }

    private void Work()
    {
        Argon2WorkerPriority.LowerCurrentThread();
        // Ends when the queue is completed and empty. The collection is not disposed: a worker may still be in a run, and
        // it owns nothing but two semaphores without handles.
        foreach (var job in _queue.GetConsumingEnumerable())
        {
            if (!job.TryStart())
            {
                continue; // its waiter gave up first
            }

            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _active);
            var started = Stopwatch.GetTimestamp();
            try
            {
                job.Run();
            }
            finally
            {
                // Racy between workers on purpose: an update lost now and then leaves the average as good an estimate.
                var took = Stopwatch.GetTimestamp() - started;
                var typical = Volatile.Read(ref _runTicks);
                Volatile.Write(ref _runTicks, typical == 0 ? Math.Max(1, took) : typical + ((took - typical) / 4));

                // Not running any more before its waiter resumes, so what the waiter then reads is settled.
                Interlocked.Decrement(ref _active);
                job.Complete();
            }
        }
    }
}
