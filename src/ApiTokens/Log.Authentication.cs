using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// The log lines of the <c>whm</c> scheme (event ids 1000–1099), under the category <c>ApiTokens.Authentication.WhmTokenHandler</c>.
/// None carries a token, a hash or a header value.
/// <list type="table">
/// <item><term>1001</term><description>one whm authentication failed: reason, user, token name, address (Debug)</description></item>
/// <item><term>1002</term><description>failures spiked: counts by reason since the last summary, at most one a minute per node (Warning)</description></item>
/// </list>
/// Successful and cached authentications log nothing of ours; ASP.NET's own per-request lines for the scheme
/// ("was not authenticated", "was challenged", "was forbidden") are written under <c>Microsoft.AspNetCore.Authentication.WhmToken</c>
/// (see <see cref="Authentication.WhmTokenLogging"/>).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug,
        Message = "whm authentication failed: {Reason} for user {UserName} token {TokenName} from {RemoteAddress}")]
    public static partial void AuthenticationFailed(ILogger logger, ApiTokenFailureReason reason, string userName, string tokenName, string remoteAddress);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "whm authentication: {FailureCount} failed attempts since {Since} ({Reasons}); each attempt is logged at Debug as event 1001")]
    public static partial void AuthenticationFailuresSpiked(ILogger logger, int failureCount, DateTimeOffset since, string reasons);
}
