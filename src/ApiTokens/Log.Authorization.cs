using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// Log lines of per-privilege authorization (event ids 3001–3099).
/// <list type="table">
/// <item><term>3001</term><description>the account lookup for a signed-in user failed; the user holds no privilege (Warning)</description></item>
/// <item><term>3002</term><description>a signed-in user has no account, or a suspended one; holds no privilege (Debug)</description></item>
/// <item><term>3003</term><description>at start: the host's result handler was registered after AddWhmTokens (Warning)</description></item>
/// <item><term>3004</term><description>a signed-in user's unsafe request carries no valid antiforgery token; holds no privilege (Debug)</description></item>
/// </list>
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "Looking up the account of signed-in user {UserName} failed; the request holds no privilege")]
    public static partial void AccountLookupFailed(ILogger logger, Exception exception, string userName);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug,
        Message = "Signed-in user {UserName} has no account, or a suspended one; the request holds no privilege")]
    public static partial void NoActiveAccount(ILogger logger, string userName);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning,
        Message = "The IAuthorizationMiddlewareResultHandler {Handler} was registered after AddWhmTokens, so privilege endpoints answer without the missing-privilege body and challenge every scheme. Register it before AddWhmTokens, which then wraps it.")]
    public static partial void ResultHandlerRegisteredAfter(ILogger logger, string handler);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug,
        Message = "The {Method} request of signed-in user {UserName} carries no valid antiforgery token; the request holds no privilege")]
    public static partial void NoAntiforgeryToken(ILogger logger, string userName, string method);
}
