using System.Data.Common;

namespace ApiTokens;

/// <summary>Recognises "the database could not be reached" anywhere in an exception chain.</summary>
internal static class StoreFaults
{
    public static bool IsStoreFault(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is Microsoft.AspNetCore.Http.BadHttpRequestException)
            {
                return false; // a bad or aborted request body, not the database
            }

            if (ex is ApiTokenStoreUnavailableException or DbException or TimeoutException or IOException or System.Net.Sockets.SocketException
                || ex.GetType().FullName is "Microsoft.EntityFrameworkCore.DbUpdateException"
                    or "Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException")
            {
                return true;
            }
        }

        return false;
    }
}
