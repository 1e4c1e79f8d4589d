using Microsoft.Extensions.Logging;

namespace ApiTokens.Page;

/// <summary>
/// Every log line of this package (category <c>ApiTokens.Page</c>), with stable event ids in the page's 5xxx range. None carries a
/// token, a hash or a header value: they name the user, the reason and the remote address.
/// <list type="table">
/// <item><term>5001</term><description>a signed-in user or token was refused the page or its JSON endpoints (Information)</description></item>
/// <item><term>5002</term><description>antiforgery validation failed on a state-changing cookie call (Warning)</description></item>
/// </list>
/// </summary>
internal static partial class Log
{
    /// <summary>The logger category of every line.</summary>
    public const string Category = "ApiTokens.Page";

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "API tokens page refused to user {UserName}: {Reason}")]
    public static partial void Denied(ILogger logger, string userName, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning,
        Message = "API tokens page: antiforgery validation failed for user {UserName} from {RemoteAddress}")]
    public static partial void AntiforgeryFailed(ILogger logger, string userName, string remoteAddress);
}
