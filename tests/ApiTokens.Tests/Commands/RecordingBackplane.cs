using Microsoft.Extensions.Hosting;

namespace ApiTokens.Tests.Commands;

/// <summary>A backplane stand-in for the <c>tokens</c> commands: records start, changed, flush and stop, in order.</summary>
internal sealed class RecordingBackplane(bool publishes = true) : IApiTokenChangeNotifier, IApiTokenChangeFlusher, IHostedService
{
    public List<string> Calls { get; } = [];

    public ValueTask AccountChangedAsync(string accountId, CancellationToken cancellationToken)
    {
        Calls.Add("changed");
        return default;
    }

    public Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Calls.Add("flush");
        return Task.FromResult(publishes);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Calls.Add("start");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Calls.Add("stop");
        return Task.CompletedTask;
    }
}
