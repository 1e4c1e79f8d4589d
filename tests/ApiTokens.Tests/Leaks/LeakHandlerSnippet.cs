using ApiTokens;
using Microsoft.Extensions.Logging;

namespace MyApp;

/// <summary>Tells the owner of a token reported as leaked: here in the log; a real app would send a mail.</summary>
public sealed partial class WarnOwnerOfLeak(ILogger<WarnOwnerOfLeak> logger) : IApiTokenLeakHandler
{
    public ValueTask OnTokenLeakedAsync(ApiTokenLeak leak, CancellationToken cancellationToken)
    {
        var what = leak.PreviousValueOnly ? "its previous value stopped working" : "it was revoked";
        LeakReported(logger, leak.Token.Name, leak.Owner?.UserName ?? leak.Token.AccountId, leak.ReporterAddress ?? "unknown", what);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "API token {TokenName} of {UserName} was reported as leaked from {Address}: {What}")]
    private static partial void LeakReported(ILogger logger, string tokenName, string userName, string address, string what);
}
