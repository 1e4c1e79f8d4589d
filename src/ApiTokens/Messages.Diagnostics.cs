namespace ApiTokens;

/// <summary>
/// The sentences of the health checks (<c>AddApiTokensHealthChecks</c>). A health answer may be shown to anyone who can reach
/// the endpoint: none names a host, a connection string, a user or a token, and none repeats an exception's message (the log
/// has the exception).
/// </summary>
internal static partial class Messages
{
    public const string InvalidStoreCheckTimeout =
        "ApiTokensHealthCheckOptions.StoreTimeout must be between 00:00:00.010 and 00:01:00, for example 00:00:03.";

    public const string InvalidDegradedHashQueueLength =
        "ApiTokensHealthCheckOptions.DegradedHashQueueLength must be 0 (as many as there are slots) or more.";

    public const string InvalidBusyWindow = "ApiTokensHealthCheckOptions.BusyWindow must not be negative, for example 00:01:00.";

    public const string StoreAnswered = "The token store answered.";

    public const string StoreFailed =
        "The token store failed: tokens not in this node's cache cannot be verified and management calls fail. The log has the error.";

    public const string NoBackplane =
        "No backplane: changes apply to this node's cache only (one node, or several whose cache lifetime bounds how long a change takes).";

    public static string StoreTimedOut(TimeSpan timeout) =>
        $"The token store did not answer within {timeout.TotalSeconds:0.###} s: tokens not in this node's cache cannot be verified and management calls fail.";

    public static string HashingIdle(int active, int slots) => $"{active} of {slots} Argon2 slots in use, none waiting.";

    public static string HashingQueued(int queued, int slots) =>
        $"{queued} Argon2 runs wait for {slots} slots: uncached requests and token creates wait, and are refused after " +
        "ApiTokens:Verification:HashQueueTimeout. Raise ApiTokens:Verification:MaxConcurrentHashes if the machine has cores to spare.";

    public static string HashingRecentlyBusy(int queued, int slots) =>
        $"An Argon2 run found no free slot in time lately ({queued} waiting for {slots} slots now): uncached requests were refused.";
}
