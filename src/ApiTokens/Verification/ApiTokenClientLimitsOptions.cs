namespace ApiTokens;

/// <summary>
/// Failed-authentication limits per client address (configuration section <c>ApiTokens:ClientLimits</c>), GitLab's model: after
/// <see cref="MaxFailures"/> refused credentials from one address within <see cref="Window"/>, that address is blocked for
/// <see cref="BlockFor"/>. While blocked, every whm credential from it that this node has not already proven in its cache gets
/// <c>429 Too Many Requests</c> with <c>Retry-After</c>, before any store read or Argon2 run; a token already proven in the cache
/// keeps working, so one broken script behind a shared address does not lock out the others' running scripts.
/// </summary>
/// <remarks>
/// The address is the connection's <c>HttpContext.Connection.RemoteIpAddress</c>: behind a reverse proxy or load balancer, set up
/// ASP.NET Core's forwarded headers (<c>app.UseForwardedHeaders()</c> with the proxy in <c>KnownProxies</c>, before
/// <c>UseAuthentication</c>), or every client counts as the proxy. Counted: malformed credentials, unknown users and tokens, wrong
/// secrets and the per-selector limit's refusals. Not counted: expired tokens, suspended owners and addresses a token's whitelist
/// refuses (their secret was proven), nor a busy node or store outage (nothing was proven). Per node, in memory.
/// </remarks>
public sealed class ApiTokenClientLimitsOptions
{
    /// <summary>Whether failed authentications are limited per client address (<c>ApiTokens:ClientLimits:Enabled</c>). Default on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How many refused credentials from one address within <see cref="Window"/> block it
    /// (<c>ApiTokens:ClientLimits:MaxFailures</c>): the request that brings it to this number is still refused as usual, the next
    /// gets 429. 1 to 100,000; default 20.
    /// </summary>
    public int MaxFailures { get; set; } = 20;

    /// <summary>
    /// The fixed window refused credentials are counted in (<c>ApiTokens:ClientLimits:Window</c>): it starts at an address's
    /// first refusal and its count starts again from zero once it has passed. 1 second to 1 day; default 1 minute.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a blocked address stays blocked (<c>ApiTokens:ClientLimits:BlockFor</c>). 1 second to 1 day; default 15 minutes.</summary>
    public TimeSpan BlockFor { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How many leading bits of an IPv6 address make one client (<c>ApiTokens:ClientLimits:IPv6PrefixLength</c>): a host usually
    /// holds a whole /64, so counting single IPv6 addresses would let one machine rotate through 2^64 of them. An IPv4 address
    /// (also when it reaches a dual-stack listener as <c>::ffff:a.b.c.d</c>) is always one client. 32 to 128; default 64.
    /// </summary>
    public int IPv6PrefixLength { get; set; } = 64;

    /// <summary>
    /// Whether loopback clients (127.0.0.0/8, ::1) are never counted or blocked (<c>ApiTokens:ClientLimits:ExemptLoopback</c>),
    /// as GitLab exempts 127.0.0.1: scripts on the server itself, and a reverse proxy on the same machine whose forwarded headers
    /// are not set up, which would otherwise make every client share one count. A request with no remote address (an in-process
    /// test server) is never counted either. Default on.
    /// </summary>
    public bool ExemptLoopback { get; set; } = true;

    /// <summary>
    /// The most addresses tracked at once (<c>ApiTokens:ClientLimits:MaxTrackedClients</c>), which bounds the memory a flood from
    /// many addresses can take (about 150 bytes each: 15 MB at the default). Addresses whose window has passed and that are not
    /// blocked are dropped to make room; while every tracked address is still counting or blocked, failures from new addresses are
    /// not counted (logged once per window). 100 to 10,000,000; default 100,000.
    /// </summary>
    public int MaxTrackedClients { get; set; } = 100_000;

    internal IEnumerable<string> Validate()
    {
        if (MaxFailures is < 1 or > 100_000)
        {
            yield return Messages.InvalidClientLimitsMaxFailures;
        }

        if (Window < TimeSpan.FromSeconds(1) || Window > TimeSpan.FromDays(1))
        {
            yield return Messages.InvalidClientLimitsWindow;
        }

        if (BlockFor < TimeSpan.FromSeconds(1) || BlockFor > TimeSpan.FromDays(1))
        {
            yield return Messages.InvalidClientLimitsBlockFor;
        }

        if (IPv6PrefixLength is < 32 or > 128)
        {
            yield return Messages.InvalidClientLimitsIPv6PrefixLength;
        }

        if (MaxTrackedClients is < 100 or > 10_000_000)
        {
            yield return Messages.InvalidClientLimitsMaxTrackedClients;
        }
    }
}
