namespace ApiTokens;

/// <summary>
/// Implemented by an <see cref="IApiTokenChangeNotifier"/> that carries changes to other nodes in the background (a backplane,
/// for example <c>ApiTokens.Redis</c>): a short-lived process, such as the <c>tokens</c> command line, waits with it until the
/// changes it made have left, before it exits.
/// </summary>
public interface IApiTokenChangeFlusher
{
    /// <summary>Waits until every change queued before this call has been published to the other nodes.</summary>
    /// <param name="timeout">How long to wait, including for the backplane to be reached.</param>
    /// <param name="cancellationToken">Stops waiting (throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>True when everything queued before the call was published; false when the timeout passed first.</returns>
    Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
