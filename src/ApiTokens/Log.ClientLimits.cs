using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// The log lines of the failed-authentication limits per client address (<c>ApiTokens:ClientLimits</c>; event ids 1901–1949).
/// They name the client (an IPv4 address, or an IPv6 prefix such as <c>2001:db8:1:2::/64</c>) and counts, never a credential.
/// <list type="table">
/// <item><term>1901</term><description>a client was blocked: how many refused credentials within which window, until when (Warning)</description></item>
/// <item><term>1902</term><description>a blocked client was released: its block ended (Information; written when the client is next seen or the table is swept)</description></item>
/// <item><term>1903</term><description>the table is full: failures from new addresses are not counted for now (Warning, at most once per window)</description></item>
/// <item><term>1904</term><description>refused credentials arrive from a loopback peer with a forwarding header: a reverse proxy whose forwarded headers are not set up, so those clients are not limited (Warning, once)</description></item>
/// </list>
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1901, Level = LogLevel.Warning,
        Message = "Client {Client} blocked until {BlockedUntil:O} after {Failures} refused API token credentials within {Window}: its requests get 429 unless this node has their token cached")]
    public static partial void ClientBlocked(ILogger logger, string client, int failures, TimeSpan window, DateTimeOffset blockedUntil);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Information, Message = "Client {Client} released: its block for refused API token credentials ended at {BlockedUntil:O}")]
    public static partial void ClientReleased(ILogger logger, string client, DateTimeOffset blockedUntil);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Warning,
        Message = "Client limits track {Count} addresses, ApiTokens:ClientLimits:MaxTrackedClients; refused credentials from new addresses are not counted until tracked ones expire")]
    public static partial void ClientTableFull(ILogger logger, int count);

    [LoggerMessage(EventId = 1904, Level = LogLevel.Warning,
        Message = "Refused API token credentials arrive from the loopback address {Client} with a forwarding header: a reverse proxy whose forwarded headers are not set up (app.UseForwardedHeaders before UseAuthentication), so client limits cannot tell its clients apart and do not limit them")]
    public static partial void ClientLimitsBehindUnconfiguredProxy(ILogger logger, string client);
}
