namespace ApiTokens;

/// <summary>
/// The health checks <c>services.AddHealthChecks().AddApiTokensHealthChecks(o => …)</c> registers: the token store
/// (<see cref="StoreCheckName"/>), Argon2 saturation (<see cref="HashingCheckName"/>) and the backplane
/// (<see cref="BackplaneCheckName"/>). Each answers within a bound, so a hung dependency never hangs a health endpoint.
/// </summary>
public sealed class ApiTokensHealthCheckOptions
{
    /// <summary>The store check's name: Unhealthy when the store fails or does not answer within <see cref="StoreTimeout"/>.</summary>
    public const string StoreCheckName = "apitokens.store";

    /// <summary>The hashing check's name: Degraded while Argon2 runs queue for a slot, or one was refused busy lately.</summary>
    public const string HashingCheckName = "apitokens.hashing";

    /// <summary>The backplane check's name: Degraded while the backplane cannot reach the other nodes; never Unhealthy.</summary>
    public const string BackplaneCheckName = "apitokens.backplane";

    /// <summary>
    /// The key under which a backplane package registers its keyed <c>IHealthCheck</c> (the Redis backplane does); the backplane
    /// check delegates to it, and answers Healthy ("no backplane") when there is none.
    /// </summary>
    public const string BackplaneServiceKey = "ApiTokens.Backplane";

    /// <summary>
    /// How long the store check waits for its query (one indexed read by selector, in a service scope of its own) before it
    /// answers Unhealthy. The query is cancelled then; while a hung one still runs, later checks wait for it instead of
    /// starting another. Default 3 seconds; between 10 ms and 1 minute.
    /// </summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How many Argon2 runs may wait for a slot before the hashing check answers Degraded. 0 (the default) means as many as
    /// there are slots (<c>ApiTokens:Verification:MaxConcurrentHashes</c>).
    /// </summary>
    public int DegradedHashQueueLength { get; set; }

    /// <summary>
    /// How long after a run was refused busy (no slot within <c>ApiTokens:Verification:HashQueueTimeout</c>) the hashing check
    /// still answers Degraded. Default 1 minute.
    /// </summary>
    public TimeSpan BusyWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Tags added to every check (for example <c>ready</c>, to pick them with a <c>HealthCheckOptions.Predicate</c>).</summary>
    public IList<string> Tags { get; } = [];

    internal IEnumerable<string> Validate()
    {
        if (StoreTimeout < TimeSpan.FromMilliseconds(10) || StoreTimeout > TimeSpan.FromMinutes(1))
        {
            yield return Messages.InvalidStoreCheckTimeout;
        }

        if (DegradedHashQueueLength < 0)
        {
            yield return Messages.InvalidDegradedHashQueueLength;
        }

        if (BusyWindow < TimeSpan.Zero)
        {
            yield return Messages.InvalidBusyWindow;
        }
    }
}
