namespace ApiTokens;

/// <summary>
/// Limits on Argon2 work (configuration section <c>ApiTokens:Verification</c>): how many hashes run at once, how long a request
/// waits for one, and how hard a flood of wrong secrets may push them. They bound authentication, <c>api_token_get_details</c>
/// and the hashing of new secrets alike.
/// </summary>
public sealed class ApiTokenVerificationOptions
{
    /// <summary>The most <see cref="MaxConcurrentHashes"/> may be: each is a thread, and each run holds Argon2's memory (19 MiB at the defaults).</summary>
    internal const int MaxWorkers = 1024;

    /// <summary>Queue places per worker while <see cref="MaxQueuedHashes"/> is unset.</summary>
    internal const int DefaultQueuedHashesPerWorker = 1024;

    /// <summary>
    /// How many Argon2 runs (verifications and new hashes) run at once in this process
    /// (<c>ApiTokens:Verification:MaxConcurrentHashes</c>), each on a dedicated thread of its own, never on a thread-pool
    /// thread, so requests answered from the cache keep their latency while hashes queue. Default: the processor count; at
    /// most 1,024. Runs beyond it wait in a queue of <see cref="MaxQueuedHashes"/> for up to <see cref="HashQueueTimeout"/>,
    /// then are refused as busy without hashing.
    /// </summary>
    public int MaxConcurrentHashes { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// How long a run waits in the queue for an Argon2 worker (<c>ApiTokens:Verification:HashQueueTimeout</c>). Default 5
    /// seconds. A run that has not started by then is taken out of the queue, never runs, and its request is refused as busy;
    /// one that could not start by then anyway (the runs queued ahead of it, at the time runs take on this node, would keep
    /// every worker busy longer) is refused at once.
    /// </summary>
    public TimeSpan HashQueueTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many Argon2 runs may wait for a worker at once (<c>ApiTokens:Verification:MaxQueuedHashes</c>): a bound on the memory
    /// waiting requests hold. Default: unset, meaning 1,024 for each of <see cref="MaxConcurrentHashes"/>. Within it, how many
    /// wait is decided by how long runs take on this node: a run that could not start within <see cref="HashQueueTimeout"/>
    /// behind those already queued is refused as busy at once, as is one that finds the queue full.
    /// </summary>
    public int? MaxQueuedHashes { get; set; }

    /// <summary>The queue's size: <see cref="MaxQueuedHashes"/>, or 1,024 per worker.</summary>
    internal int QueueCapacity =>
        MaxQueuedHashes ?? (int)Math.Min(int.MaxValue, (long)Math.Max(1, MaxConcurrentHashes) * DefaultQueuedHashesPerWorker);

    /// <summary>
    /// How many wrong secrets for one real selector are checked with Argon2 per <see cref="FailureWindow"/>
    /// (<c>ApiTokens:Verification:MaxFailuresPerSelector</c>); beyond that, wrong secrets for that selector are refused without
    /// hashing (cached good secrets still work). Default 10.
    /// </summary>
    public int MaxFailuresPerSelector { get; set; } = 10;

    /// <summary>How long failures are remembered (<c>ApiTokens:Verification:FailureWindow</c>). Default 1 minute.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    internal IEnumerable<string> Validate()
    {
        if (MaxConcurrentHashes < 1)
        {
            yield return Messages.InvalidMaxConcurrentHashes;
        }
        else if (MaxConcurrentHashes > MaxWorkers)
        {
            yield return Messages.TooManyConcurrentHashes(MaxConcurrentHashes, MaxWorkers);
        }

        if (MaxQueuedHashes < 1)
        {
            yield return Messages.InvalidMaxQueuedHashes;
        }

        if (MaxFailuresPerSelector < 1 || FailureWindow <= TimeSpan.Zero)
        {
            yield return Messages.InvalidFailureLimit;
        }

        if (HashQueueTimeout <= TimeSpan.Zero)
        {
            yield return Messages.InvalidHashQueueTimeout;
        }
    }
}
