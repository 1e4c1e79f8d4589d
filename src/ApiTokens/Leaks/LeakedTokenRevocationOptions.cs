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

    /// <summary>
    /// How many reports worth looking up (well-formed, with at least one value of the token format) all clients together may send
    /// per <see cref="Window"/>. Default 60; 0 turns the overall limit off. Reports refused before (rate-limited per address, wrong
    /// content type, bad body) and reports with no value that could be a token do not count.
    /// </summary>
    public int PermitsPerWindow { get; set; } = 60;

    /// <summary>
    /// How many hash checks that <em>failed</em> (a value with a real token's selector and a wrong secret) one client address
    /// (IPv6: per /64) may cost per <see cref="Window"/>. Default 20, as <c>ApiTokens:ClientLimits:MaxFailures</c>; 0 turns it off.
    /// Past it, that address's further candidates are not checked and its report is answered 503 with <c>Retry-After</c> (sent
    /// again, it is checked once the window has passed); checks of real leaks do not count, and other addresses are not affected.
    /// </summary>
    public int MaxFailedChecksPerAddress { get; set; } = 20;

    /// <summary>
    /// How many hash checks (Argon2 runs, failed or not) all leak reports together may cost per <see cref="Window"/> on one node.
    /// Default 120; 0 turns it off. Past it, candidates are not checked and reports are answered 503 with <c>Retry-After</c>. This
    /// is the endpoint's worst case: at most this many Argon2 runs per window per node, whatever is sent.
    /// </summary>
    public int MaxChecksPerWindow { get; set; } = 120;

    /// <summary>The rate limits' fixed window. Default 1 minute. A refused report gets 429 with <c>Retry-After</c>.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The <c>Retry-After</c> of a 503, when the store is unavailable or the hash gate could not check every candidate now.
    /// Default 1 minute.
    /// </summary>
    public TimeSpan UnavailableRetryAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The actor named in the audit trail for a revocation. Default <c>leak-report</c>.</summary>
    public string ActorName { get; set; } = "leak-report";

    /// <summary>
    /// Whether the reporter's address is stored in the <see cref="ApiTokenAuditAction.RevokedAsLeaked"/> audit event
    /// (<see cref="ApiTokenAuditEvent.RemoteAddress"/>), which the token's owner sees in its history. Default
    /// <see langword="false"/>: a good-faith reporter's address is not handed to the account owner. The address is always in the
    /// log line (1701, for operators) and given to <see cref="IApiTokenLeakHandler"/>s (<see cref="ApiTokenLeak.ReporterAddress"/>).
    /// </summary>
    public bool RecordReporterAddress { get; set; }

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

        if (MaxFailedChecksPerAddress < 0 || MaxChecksPerWindow < 0)
        {
            yield return Messages.InvalidLeakCheckBudget;
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
