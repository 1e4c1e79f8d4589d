namespace ApiTokens.Redis.Internal;

/// <summary>
/// The changes made on this node that the other nodes have not heard of yet, in order, knowing nothing of Redis. The sender
/// peeks at the oldest, publishes it, and only then completes it, so a failed publish leaves it first in line.
/// </summary>
/// <remarks>
/// At most <c>capacity</c> changes wait. One more replaces them all with a single clear-all entry: the other nodes then drop
/// their whole cache, which covers every change it replaced (later changes queue behind it as usual). A single waiting change
/// is never replaced, since a clear-all would save nothing. Changes are numbered as they are added, so
/// <see cref="WhenPublishedAsync"/> can tell when everything added before a call has gone out.
/// </remarks>
internal sealed class ChangeOutbox
{
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private readonly Queue<PendingChange> _queue = new();
    private readonly List<(long Target, TaskCompletionSource<bool> Done)> _waiters = [];
    private readonly WakeSignal _added = new();
    private long _lastAdded;
    private long _published;
    private bool _overflowReported;
    private bool _closed;

    public ChangeOutbox(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
    }

    /// <summary>How many entries wait (a clear-all counts as one).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Adds a change of <paramref name="accountId"/>.</summary>
    /// <returns>
    /// Whether this change overflowed the outbox for the first time since it was last empty (the caller logs it once).
    /// </returns>
    public bool Add(string accountId)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        lock (_gate)
        {
            var sequence = ++_lastAdded;
            var overflowed = false;
            if (_queue.Count > 0 && _queue.Count >= _capacity)
            {
                _queue.Clear();
                _queue.Enqueue(new PendingChange(null, sequence));
                overflowed = !_overflowReported;
                _overflowReported = true;
            }
            else
            {
                _queue.Enqueue(new PendingChange(accountId, sequence));
            }

            _added.Set();
            return overflowed;
        }
    }

    /// <summary>The oldest waiting entry, left in place until <see cref="Complete"/>.</summary>
    public bool TryPeek(out PendingChange change)
    {
        lock (_gate)
        {
            return _queue.TryPeek(out change!);
        }
    }

    /// <summary>
    /// <paramref name="change"/> (from <see cref="TryPeek"/>) was published: it leaves the queue, unless an overflow already
    /// replaced it, and whoever waited for it is told.
    /// </summary>
    public void Complete(PendingChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            if (_queue.TryPeek(out var head) && ReferenceEquals(head, change))
            {
                _queue.Dequeue();
            }

            // Published in order: everything up to this entry's number has reached the other nodes.
            _published = Math.Max(_published, change.Sequence);
            if (_queue.Count == 0)
            {
                _overflowReported = false;
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Target <= _published)
                {
                    _waiters[i].Done.TrySetResult(true);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Completes when at least one entry waits (at once if one does already).</summary>
    public Task WaitForChangeAsync(CancellationToken cancellationToken)
    {
        var next = _added.Next();
        lock (_gate)
        {
            return _queue.Count > 0 ? Task.CompletedTask : next.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// True once every change added before this call has been published (at once if none waits); false when
    /// <paramref name="cancellationToken"/> fires first or the outbox is closed.
    /// </summary>
    public Task<bool> WhenPublishedAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<bool> done;
        lock (_gate)
        {
            if (_published >= _lastAdded)
            {
                return Task.FromResult(true);
            }

            if (_closed || cancellationToken.IsCancellationRequested)
            {
                return Task.FromResult(false);
            }

            done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((_lastAdded, done));
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() => Abandon(done));
            _ = done.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return done.Task;
    }

    /// <summary>Nothing more will be published: every waiter is told false, and later ones at once.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            foreach (var (_, done) in _waiters)
            {
                done.TrySetResult(false);
            }

            _waiters.Clear();
        }
    }

    private void Abandon(TaskCompletionSource<bool> done)
    {
        lock (_gate)
        {
            _waiters.RemoveAll(w => ReferenceEquals(w.Done, done));
        }

        done.TrySetResult(false);
    }
}
