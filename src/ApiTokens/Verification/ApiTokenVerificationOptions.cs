namespace ApiTokens;

/// <summary>
/// Limits on Argon2 work (configuration section <c>ApiTokens:Verification</c>): how many hashes run at once, how long a request
/// waits for one, and how hard a flood of wrong secrets may push them. They bound authentication, <c>api_token_get_details</c>
/// and the hashing of new secrets alike.
/// </summary>
public sealed class ApiTokenVerificationOptions
{
    /// <summary>
    /// How many Argon2 runs (verifications and new hashes) run at once in this process
    /// (<c>ApiTokens:Verification:MaxConcurrentHashes</c>). Default: the processor count. Requests beyond it wait up to
    /// <see cref="HashQueueTimeout"/>, then fail closed.
    /// </summary>
    public int MaxConcurrentHashes { get; set; } = Environment.ProcessorCount;

    /// <summary>How long a request waits for an Argon2 slot before failing (<c>ApiTokens:Verification:HashQueueTimeout</c>). Default 5 seconds.</summary>
    public TimeSpan HashQueueTimeout { get; set; } = TimeSpan.FromSeconds(5);

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
