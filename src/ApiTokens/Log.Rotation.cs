using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// The log lines of token rotation (event ids 1501–1549). They name the user and the token, never a token value or a hash.
/// <list type="table">
/// <item><term>1501</term><description>a rotated token's previous value authenticated during its grace period: some client still
/// uses the old value (Information; once per verification, so at most once per cache lifetime per node and value)</description></item>
/// </list>
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1501, Level = LogLevel.Information,
        Message = "API token {TokenName} of {UserName} was used with its previous value, which stops working at {PreviousValueExpiresAt:u}; the client should switch to the new value")]
    public static partial void PreviousValueUsed(ILogger logger, string tokenName, string userName, DateTimeOffset previousValueExpiresAt);
}
