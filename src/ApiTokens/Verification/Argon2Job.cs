using System.Diagnostics;

namespace ApiTokens;

/// <summary>
/// One piece of Argon2 work for <see cref="Argon2Workers"/>: queued, then either started by a worker or abandoned by its
/// waiter (a deadline, a cancellation, the workers stopping), never both. The waiter awaits <see cref="Argon2Job{T}.Completion"/>,
/// which resumes it on the thread pool, never on the worker.
/// </summary>
internal abstract class Argon2Job
{
    private const int Waiting = 0;
    private const int Started = 1;
    private const int Abandoned = 2;

    private readonly long _queuedAt = Stopwatch.GetTimestamp();
    private long _startedAt;
    private int _state;

    /// <summary>How long the job waited for a worker: until it started, or until now while it has not.</summary>
    public TimeSpan Waited => Volatile.Read(ref _state) == Started
        ? Stopwatch.GetElapsedTime(_queuedAt, Interlocked.Read(ref _startedAt))
        : Stopwatch.GetElapsedTime(_queuedAt);

    /// <summary>Claims the job for a worker; false when its waiter abandoned it first.</summary>
    public bool TryStart()
    {
        Interlocked.Exchange(ref _startedAt, Stopwatch.GetTimestamp());
        return Interlocked.CompareExchange(ref _state, Started, Waiting) == Waiting;
    }

    /// <summary>Claims the job for its waiter, so it never runs; false when a worker started it first.</summary>
    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Waiting) == Waiting;

    /// <summary>Does the work on the worker thread, keeping its result or exception for <see cref="Complete"/>.</summary>
    public abstract void Run();

    /// <summary>Hands the result of <see cref="Run"/> to the waiter.</summary>
    public abstract void Complete();

    /// <summary>Tells the waiter of an abandoned job that it will never run (the workers stopped).</summary>
    public abstract void Drop();
}

/// <summary>An <see cref="Argon2Job"/> computing a <typeparamref name="T"/>.</summary>
internal sealed class Argon2Job<T>(Func<T> work) : Argon2Job
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;
    private Exception? _error;

    /// <summary>The result; cancelled when the job was dropped without running.</summary>
    public Task<T> Completion => _completion.Task;

    public override void Run()
    {
        try
        {
            _result = work();
        }
        catch (Exception ex)
        {
            _error = ex;
        }
    }

    public override void Complete()
    {
        if (_error is not null)
        {
            _completion.TrySetException(_error);
        }
        else
        {
            _completion.TrySetResult(_result!);
        }
    }

    public override void Drop() => _completion.TrySetCanceled();
}
