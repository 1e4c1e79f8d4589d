using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// How a management call meets a store fault: a write answers <see cref="ApiTokenErrors.StoreUnavailable"/> (nothing changed), a
/// read throws <see cref="ApiTokenStoreUnavailableException"/>; both log once. A cancelled call is not a fault.
/// </summary>
internal static class StoreGuard
{
    public static async Task<ApiTokenResult<T>> WriteAsync<T>(
        Func<Task<ApiTokenResult<T>>> body, string operation, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFault(ex, cancellationToken))
        {
            Log.StoreFault(logger, ex, operation);
            return ApiTokenErrors.StoreUnavailable;
        }
    }

    public static async Task<T> ReadAsync<T>(Func<Task<T>> body, string operation, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ApiTokenStoreUnavailableException && IsStoreFault(ex, cancellationToken))
        {
            Log.StoreFault(logger, ex, operation);
            throw new ApiTokenStoreUnavailableException(ApiTokenErrors.StoreUnavailable.Message, ex);
        }
    }

    private static bool IsStoreFault(Exception ex, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && StoreFaults.IsStoreFault(ex);
}
