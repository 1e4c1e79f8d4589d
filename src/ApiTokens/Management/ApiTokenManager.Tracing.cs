using System.Diagnostics;

namespace ApiTokens;

public sealed partial class ApiTokenManager
{
    /// <summary>
    /// Runs a management call inside its activity (<c>ApiTokens.Create</c>, <c>.Update</c>, <c>.Revoke</c>, <c>.RevokeAll</c>,
    /// <c>.Rotate</c>; none for other operations), tagged <c>apitokens.management.result</c>: <c>success</c> or the error code in
    /// snake case. Never a user, token or account name: the tag values are constants. An exception marks the activity as an error.
    /// </summary>
    private static async Task<ApiTokenResult<T>> TraceAsync<T>(Func<Task<ApiTokenResult<T>>> call, string operation)
    {
        var name = operation switch
        {
            "create" => ApiTokensDiagnostics.CreateActivity,
            "update" => ApiTokensDiagnostics.UpdateActivity,
            "revoke" => ApiTokensDiagnostics.RevokeActivity,
            "revoke-all" => ApiTokensDiagnostics.RevokeAllActivity,
            "rotate" => ApiTokensDiagnostics.RotateActivity,
            _ => null,
        };

        using var activity = name is null ? null : ApiTokensDiagnostics.ActivitySource.StartActivity(name);
        try
        {
            var result = await call().ConfigureAwait(false);
            activity?.SetTag(
                ApiTokensMetrics.ManagementResultTag,
                result.Succeeded ? ApiTokensMetrics.Success : EnumTagValues<ApiTokenErrorCode>.Of(result.Error.Code));
            return result;
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.SetTag(ApiTokensMetrics.ManagementResultTag, "exception");
            activity.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }
}
