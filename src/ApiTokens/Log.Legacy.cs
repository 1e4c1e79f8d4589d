using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// The log lines of the legacy path (credentials made on a cPanel server; event ids 1201–1299). None carries a token, an access
/// hash, a SHA-512 or a selector: they name the user, the token name and what happened.
/// <list type="table">
/// <item><term>1201</term><description>an imported token was upgraded to the native form on its first use (Information)</description></item>
/// <item><term>1202</term><description>the store could not say whether it holds imported tokens; the last answer stays (Warning)</description></item>
/// <item><term>1203</term><description>an imported token verified but could not be upgraded now (gate busy, store fault or a taken selector); retried on its next uncached use (Warning)</description></item>
/// </list>
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Upgraded imported API token {TokenName} to the native form on its first use")]
    public static partial void LegacyTokenUpgraded(ILogger logger, string tokenName);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning,
        Message = "Could not read whether the API token store holds imported (cPanel) tokens; the last answer stays until the next try")]
    public static partial void LegacyIndexUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning,
        Message = "Imported API token {TokenName} verified but was not upgraded now ({Reason}); it is upgraded on its next uncached use")]
    public static partial void LegacyTokenNotUpgraded(ILogger logger, string tokenName, string reason);
}
