namespace ApiTokens;

/// <summary>
/// The verify cache (configuration section <c>ApiTokens:Cache</c>): whether verified tokens are kept, how long they are
/// trusted without asking the store, and how many are kept.
/// </summary>
public sealed class ApiTokenCacheOptions
{
    /// <summary>
    /// Whether verified tokens are cached (<c>ApiTokens:Cache:Enabled</c>). When off every request reads the store and runs
    /// Argon2. Default on.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long a verified token (and its account) is trusted before the store is read again (<c>ApiTokens:Cache:Lifetime</c>).
    /// On one node every change is applied at once; on many nodes without a backplane this is the staleness bound. Default 5 minutes.
    /// </summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many verified tokens are kept, each entry of size 1 (<c>ApiTokens:Cache:SizeLimit</c>). Default 100,000.</summary>
    public long SizeLimit { get; set; } = 100_000;

    internal IEnumerable<string> Validate()
    {
        if (Lifetime <= TimeSpan.Zero && Enabled)
        {
            yield return Messages.InvalidCacheLifetime;
        }

        if (SizeLimit < 1)
        {
            yield return Messages.InvalidCacheSizeLimit;
        }
    }
}
