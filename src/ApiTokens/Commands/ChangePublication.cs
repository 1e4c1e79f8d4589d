using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// Gets a change made by a command to the verify cache of running servers, which live in other processes. The command runs in
/// a host that is built but not started, so a backplane that is also a hosted service (<c>ApiTokens.Redis</c>) is started here
/// and stopped after; before it stops, the change is flushed (<see cref="IApiTokenChangeFlusher"/>), for at most
/// <see cref="FlushTimeout"/>. Without a backplane, or when the flush times out, <see cref="CompleteAsync"/> returns the note to
/// print: how long a running server may still trust its cached entry.
/// </summary>
internal sealed class ChangePublication : IAsyncDisposable
{
    /// <summary>How long a command waits for its change to be published before it gives up and says so.</summary>
    public static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);

    private readonly IApiTokenChangeNotifier _notifier;
    private readonly ApiTokenCacheOptions _cache;
    private readonly IHostedService? _started;

    private ChangePublication(IApiTokenChangeNotifier notifier, ApiTokenCacheOptions cache, IHostedService? started)
    {
        _notifier = notifier;
        _cache = cache;
        _started = started;
    }

    public static async Task<ChangePublication> BeginAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var notifier = services.GetRequiredService<IApiTokenChangeNotifier>();
        var cache = services.GetRequiredService<IOptions<ApiTokenOptions>>().Value.Cache;

        // In a host that is already running, the notifier runs already and is the host's to stop.
        var hostRunning = services.GetService<IHostApplicationLifetime>()?.ApplicationStarted.IsCancellationRequested == true;
        IHostedService? started = null;
        if (!hostRunning && notifier is IHostedService hosted)
        {
            await hosted.StartAsync(cancellationToken).ConfigureAwait(false);
            started = hosted;
        }

        return new ChangePublication(notifier, cache, started);
    }

    /// <summary>Waits for the change to be published; returns the note to print on standard error, or null.</summary>
    public async Task<string?> CompleteAsync(CancellationToken cancellationToken)
    {
        if (!_cache.Enabled)
        {
            return null; // no server caches a token: nothing to tell them
        }

        return _notifier switch
        {
            IApiTokenChangeFlusher flusher => await flusher.FlushAsync(FlushTimeout, cancellationToken).ConfigureAwait(false)
                ? null
                : Messages.RevokedButNotPublished(Describe(_cache.Lifetime)),
            LocalChangeNotifier => Messages.RevokedWithoutBackplane(Describe(_cache.Lifetime)),
            _ => null, // the host's own notifier carries the change its own way
        };
    }

    /// <summary>Whether changes reach other nodes through a backplane (the notifier can be flushed).</summary>
    public bool HasBackplane => _notifier is IApiTokenChangeFlusher;

    /// <summary>
    /// Waits for the change to be published: <see langword="true"/> when it was, <see langword="false"/> when it could not be
    /// (no backplane, or it timed out), <see langword="null"/> when the host's own notifier carries it its own way.
    /// </summary>
    public async Task<bool?> FlushAsync(CancellationToken cancellationToken) => _notifier switch
    {
        IApiTokenChangeFlusher flusher => await flusher.FlushAsync(FlushTimeout, cancellationToken).ConfigureAwait(false),
        LocalChangeNotifier => false,
        _ => null,
    };

    public async ValueTask DisposeAsync()
    {
        if (_started is not null)
        {
            await _started.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>"5 minutes", "30 seconds", "1.5 seconds".</summary>
    internal static string Describe(TimeSpan lifetime) =>
        lifetime.TotalMinutes >= 1 && lifetime.Seconds == 0 && lifetime.Milliseconds == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{lifetime.TotalMinutes:0.#} minute{(lifetime.TotalMinutes == 1 ? "" : "s")}")
            : string.Create(CultureInfo.InvariantCulture, $"{lifetime.TotalSeconds:0.###} second{(lifetime.TotalSeconds == 1 ? "" : "s")}");
}
