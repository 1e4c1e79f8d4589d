namespace ApiTokens.Redis.Internal;

/// <summary>A loop's "look again now": <see cref="Set"/> completes the task the last <see cref="Next"/> handed out.</summary>
/// <remarks>Take <see cref="Next"/> before the work, await it after: a <see cref="Set"/> during the work is not lost.</remarks>
internal sealed class WakeSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The task the next <see cref="Set"/> completes (a fresh one once the previous has been set).</summary>
    public Task Next()
    {
        lock (_gate)
        {
            if (_signal.Task.IsCompleted)
            {
                _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return _signal.Task;
        }
    }

    public void Set()
    {
        lock (_gate)
        {
            _signal.TrySetResult();
        }
    }
}
