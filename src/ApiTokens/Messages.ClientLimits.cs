namespace ApiTokens;

/// <summary>
/// The sentences of the answers that are not credential refusals (a busy node or an unreachable store: 503; a blocked client:
/// 429) and of the <c>ApiTokens:ClientLimits</c> option checks.
/// </summary>
internal static partial class Messages
{
    public const string AuthenticationUnavailableTitle = "The API token could not be checked now.";

    public const string AuthenticationBusy =
        "The server is busy checking other API tokens and could not check this one in time. Nothing is known to be wrong with it: send the request again after the number of seconds in Retry-After.";

    public const string AuthenticationStoreUnavailable =
        "The token store could not be reached, so this API token could not be checked. Nothing is known to be wrong with it: send the request again after the number of seconds in Retry-After.";

    public const string ClientBlockedTitle = "Too many failed authentications from this address.";

    public const string ClientBlocked =
        "Too many refused API token credentials came from this address, so it is blocked for a while. Fix the credentials the scripts at this address send, then try again after the number of seconds in Retry-After.";

    public const string InvalidClientLimitsMaxFailures = "ApiTokens:ClientLimits:MaxFailures must be between 1 and 100000, for example 20.";

    public const string InvalidClientLimitsWindow = "ApiTokens:ClientLimits:Window must be between 00:00:01 and 1.00:00:00, for example 00:01:00.";

    public const string InvalidClientLimitsBlockFor = "ApiTokens:ClientLimits:BlockFor must be between 00:00:01 and 1.00:00:00, for example 00:15:00.";

    public const string InvalidClientLimitsIPv6PrefixLength = "ApiTokens:ClientLimits:IPv6PrefixLength must be between 32 and 128, for example 64.";

    public const string InvalidClientLimitsMaxTrackedClients = "ApiTokens:ClientLimits:MaxTrackedClients must be between 100 and 10000000, for example 100000.";
}
