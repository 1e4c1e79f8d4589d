namespace ApiTokens;

/// <summary>
/// The verify cache: how long a verified token is trusted without asking the store, how many are kept,
/// and how hard a flood of wrong secrets may push Argon2.
/// </summary>
public sealed class ApiTokenCacheOptions
{
    /// <summary>
    /// Whether verified tokens are cached. When off every request reads the store and runs Argon2. Default on.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long a verified token (and its account) is trusted before the store is read again. On one node
    /// every change is applied at once; on many nodes without a backplane this is the staleness bound. Default 5 minutes.
    /// </summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many verified tokens are kept (each entry has size 1). Default 100,000.</summary>
    public long SizeLimit { get; set; } = 100_000;

    /// <summary>
    /// How many Argon2 verifications run at once in this process. Default: the processor count.
    /// Requests beyond it wait up to <see cref="HashQueueTimeout"/>, then fail closed.
    /// </summary>
    public int MaxConcurrentHashVerifications { get; set; } = Environment.ProcessorCount;

    /// <summary>How long a request waits for an Argon2 slot before failing. Default 5 seconds.</summary>
    public TimeSpan HashQueueTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many wrong secrets for one real selector are checked with Argon2 per <see cref="FailureWindow"/>;
    /// beyond that, wrong secrets for that selector are refused without hashing (cached good secrets still work).
    /// Default 10.
    /// </summary>
    public int MaxFailuresPerSelector { get; set; } = 10;

    /// <summary>How long failures are remembered. Default 1 minute.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    internal IEnumerable<string> Validate()
    {
        if (Lifetime <= TimeSpan.Zero && Enabled)
        {
            yield return "ApiTokens:Cache:Lifetime must be positive while the cache is enabled (set Enabled=false to turn caching off).";
        }

        if (SizeLimit < 1)
        {
            yield return "ApiTokens:Cache:SizeLimit must be at least 1.";
        }

        if (MaxConcurrentHashVerifications < 1)
        {
            yield return "ApiTokens:Cache:MaxConcurrentHashVerifications must be at least 1.";
        }

        if (MaxFailuresPerSelector < 1 || FailureWindow <= TimeSpan.Zero)
        {
            yield return "ApiTokens:Cache:MaxFailuresPerSelector must be at least 1 and FailureWindow positive.";
        }

        if (HashQueueTimeout <= TimeSpan.Zero)
        {
            yield return "ApiTokens:Cache:HashQueueTimeout must be positive.";
        }
    }
}
