using Microsoft.Extensions.Hosting;

namespace ApiTokens;

/// <summary>
/// Reads <see cref="LegacyTokenIndex"/> from the store when the host starts, before it serves requests, so a token imported
/// before a restart works on the first request. A store that does not answer within <see cref="MaxWait"/> does not hold the
/// start up: the read goes on in the background, and legacy tokens are refused until it answers.
/// </summary>
internal sealed class LegacyTokenIndexStartup(LegacyTokenIndex index) : IHostedService
{
    /// <summary>The longest the start waits for the store's answer.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await index.RefreshAsync().WaitAsync(MaxWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Still reading: the index answers "none" until it is done.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
