using Microsoft.AspNetCore.Http;

namespace ApiTokens.Whm;

/// <summary>The store-fault rule for HTTP endpoints: a bad or aborted request body is the client's, never the database's.</summary>
internal static class HttpStoreFaults
{
    public static bool IsStoreFault(Exception exception) => StoreFaults.IsStoreFault(exception, static e => e is BadHttpRequestException);
}
