namespace ApiTokens;

/// <summary>
/// Limits of the leak revocation endpoint (<c>app.MapLeakedTokenRevocation(pattern, o => …)</c>). The defaults suit a secret
/// scanner that reports a few values at a time; see docs/leaked-tokens.md.
/// </summary>
public sealed class LeakedTokenRevocationOptions
{
    /// <summary>How many values one report may hold (duplicates count). Default 100; more is refused with 400, nothing revoked.</summary>
    public int MaxValues { get; set; } = 100;

    /// <summary>
    /// The largest body accepted, in bytes. Default 64 KiB. It is enforced while the body is read (a larger
    /// <c>Content-Length</c> is refused before reading): reading stops at the limit and the report is refused with 400.
    /// </summary>
    public long MaxBodySize { get; set; } = 64 * 1024;

    /// <summary>
    /// How many reports one client address may send per <see cref="Window"/> (IPv6 addresses count per /64). Default 10; 0 turns
    /// the per-address limit off. Behind a proxy, set up forwarded headers so the client's address is seen, not the proxy's.
    /// </summary>
    public int PermitsPerAddress { get; set; } = 10;

    /// <summary>How many reports all clients together may send per <see cref="Window"/>. Default 60; 0 turns the overall limit off.</summary>
    public int PermitsPerWindow { get; set; } = 60;

    /// <summary>The rate limits' fixed window. Default 1 minute. A refused report gets 429 with <c>Retry-After</c>.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The <c>Retry-After</c> of a 503, when the store is unavailable or the hash gate could not check every candidate now.
    /// Default 1 minute.
    /// </summary>
    public TimeSpan UnavailableRetryAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The actor named in the audit trail for a revocation (with the reporter's address). Default <c>leak-report</c>.</summary>
    public string ActorName { get; set; } = "leak-report";

    internal IEnumerable<string> Validate()
    {
        if (MaxValues is < 1 or > 10_000)
        {
            yield return Messages.InvalidLeakMaxValues;
        }

        if (MaxBodySize is < 64 or > 16 * 1024 * 1024)
        {
            yield return Messages.InvalidLeakMaxBodySize;
        }

        if (PermitsPerAddress < 0 || PermitsPerWindow < 0 || Window <= TimeSpan.Zero)
        {
            yield return Messages.InvalidLeakPermits;
        }

        if (UnavailableRetryAfter < TimeSpan.FromSeconds(1) || UnavailableRetryAfter > TimeSpan.FromHours(1))
        {
            yield return Messages.InvalidLeakRetryAfter;
        }

        if (string.IsNullOrWhiteSpace(ActorName))
        {
            yield return Messages.InvalidLeakActorName;
        }
    }
}
