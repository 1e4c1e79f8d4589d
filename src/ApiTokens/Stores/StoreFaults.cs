using System.Data.Common;

namespace ApiTokens;

/// <summary>
/// Recognises "the database could not be reached" anywhere in an exception chain. It knows no HTTP types: an HTTP caller adds
/// its own rule (for example that a bad or aborted request body, an <see cref="IOException"/> too, is not the database).
/// </summary>
internal static class StoreFaults
{
    public static bool IsStoreFault(Exception exception) => IsStoreFault(exception, null);

    /// <param name="exception">What was thrown.</param>
    /// <param name="isNotStoreFault">The caller's rule for exceptions in the chain that are never a store fault.</param>
    public static bool IsStoreFault(Exception exception, Func<Exception, bool>? isNotStoreFault)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (isNotStoreFault?.Invoke(ex) == true)
            {
                return false;
            }

            if (ex is ApiTokenStoreUnavailableException or DbException or TimeoutException or IOException or System.Net.Sockets.SocketException
                || ex.GetType().FullName is "Microsoft.EntityFrameworkCore.DbUpdateException"
                    or "Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException"
                    or "Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException")
            {
                return true;
            }
        }

        return false;
    }
}
