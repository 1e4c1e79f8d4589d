using System.Globalization;

namespace ApiTokens;

/// <summary>
/// Every sentence this package shows to a person (API callers, page users, developers at start-up), written once. WHM's wording
/// is kept where WHM has one; every other sentence says what to do next.
/// </summary>
internal static partial class Messages
{
    // Token rules (ApiTokenManager, through ApiTokenErrors).
    public static string InvalidName(string name) => Format(
        $"The API token name “{Shorten(name)}” is not valid. A name can only contain up to {TokenNames.MaxLength} letters (A-Z, a-z), digits, dashes (-), and underscores (_).");

    public static string DuplicateName(string name) => Format($"A conflicting API token with the name “{Shorten(name)}” already exists. Choose another name.");

    public const string NoPrivileges = "You must assign at least one ACL privilege to the token.";

    public static string UnauthorizedPrivileges(IEnumerable<string> names) =>
        Format($"Invalid or unauthorized ACL(s) specified: {ListShort(names)}. Choose only privileges that your account holds.");

    public const string ExpiryNotInFuture = "The expiration time must be a future date. Choose a later time, or none for a token that never expires.";

    public static string InvalidWhitelistEntry(string entry) =>
        Format($"“{Shorten(entry)}” is not a valid IP address or CIDR range. Use forms such as 192.0.2.10, 198.51.100.0/24 or 2001:db8::/32.");

    public static string TooManyWhitelistEntries(int max) =>
        Format($"You can specify at most {max} IP addresses or ranges. Combine addresses into CIDR ranges.");

    public const string AccountNotFound = "The account does not exist.";

    public const string AccountSuspended = "You cannot create an API token for a suspended account. Unsuspend the account first.";

    public static string TokenNotFound(string name) => Format($"The API token “{Shorten(name)}” does not exist.");

    public const string NothingToUpdate = "Specify a new name, updated ACLs, or IPs.";

    public const string NoTokenNames = "Specify at least one API token name to revoke.";

    public static string ConcurrencyFailure(string name) =>
        Format($"The API token “{Shorten(name)}” was changed by another request. Reload the list and try again.");

    public const string StoreUnavailable = "The API token store is unavailable. Nothing was changed; try again later.";

    public const string Busy = "The server is busy hashing other tokens. Nothing was changed; try again in a few seconds.";

    // The WHM API layer (bad parameters).
    public static string MissingParameter(string name) => Format($"The parameter “{name}” is required. Add {name}=… to the query string or form body.");

    public static string InvalidExpiry(string value) => Format(
        $"The expiration time “{Shorten(value)}” is not valid. Give a Unix time in seconds (for example 1893456000), or 0 for a token that never expires.");

    public static string UnsupportedVersion(string value) => Format($"The API version “{Shorten(value)}” is not supported. Use api.version=1.");

    public const string UnreadableBody =
        "The request body could not be read as a form. Send parameters in the query string or as application/x-www-form-urlencoded or multipart/form-data.";

    // Authorization (403 bodies and developer mistakes found at start-up or on first use).
    public const string MissingPrivilegeTitle = "Missing privilege";

    public static string MissingPrivilegeDetail(IReadOnlyList<string> missing) => missing.Count == 1
        ? Format($"This request needs the privilege '{missing[0]}'. Ask for a token that holds it.")
        : Format($"This request needs the privileges {string.Join(", ", missing.Select(m => $"'{m}'"))}. Ask for a token that holds them.");

    public static string UnknownEndpointPrivileges(IEnumerable<string> endpoints) =>
        "These endpoints require privileges that are not in the privilege catalogue: " + string.Join("; ", endpoints) +
        ". Fix the names, or add them to the catalogue: ApiTokenOptions.Privileges (ApiTokens:Privileges) for your own vocabulary, or ApiTokenOptions.AdditionalPrivileges to keep WHM's ACLs.";

    public static string UnknownPolicyPrivilege(string policyName, string privilege) => Format(
        $"The authorization policy '{policyName}' names the privilege '{privilege}', which is not in the privilege catalogue. Fix the name, or add it to the catalogue: ApiTokenOptions.Privileges (ApiTokens:Privileges), or ApiTokenOptions.AdditionalPrivileges to keep WHM's ACLs.");

    public const string CoreNotRegistered =
        "AddWhmTokens() found no API token core. Call services.AddApiTokens() and choose a store and an account provider on it, for example services.AddApiTokens().AddInMemoryStore().AddAccountProvider<MyAccounts>().";

    // Configuration (start-up validation: each names the setting to fix).
    public const string InvalidMaxHeaderLength = "WhmTokenOptions.MaxHeaderLength must be between 64 and 8192.";

    public const string InvalidMaxUserNameLength = "WhmTokenOptions.MaxUserNameLength must be between 1 and 1024.";

    public const string EmptyChallenge = "WhmTokenOptions.Challenge must not be empty.";

    public const string InvalidMaxConcurrentHashes = "ApiTokens:Verification:MaxConcurrentHashes must be at least 1.";

    public const string InvalidFailureLimit = "ApiTokens:Verification:MaxFailuresPerSelector must be at least 1 and FailureWindow positive.";

    public const string InvalidHashQueueTimeout = "ApiTokens:Verification:HashQueueTimeout must be positive.";

    public const string InvalidCacheLifetime = "ApiTokens:Cache:Lifetime must be positive while the cache is enabled (set Enabled=false to turn caching off).";

    public const string InvalidCacheSizeLimit = "ApiTokens:Cache:SizeLimit must be at least 1.";

    public const string InvalidSelectorLength = "ApiTokens:Format:SelectorLength must be between 4 and 32.";

    public static string SecretTooShort(int minimum) => Format(
        $"ApiTokens:Format:Length must leave at least {minimum} secret characters after the selector (124 bits); raise Length or lower SelectorLength.");

    public const string InvalidTokenLength = "ApiTokens:Format:Length must be 128 or less.";

    public const string InvalidTokenPrefix = "ApiTokens:Format:Prefix may hold at most 32 letters, digits or '_'.";

    public const string NoPrivilegeNamed = "Name at least one privilege.";

    public const string InvalidParallelism = "ApiTokens:Hashing:Parallelism must be between 1 and 16.";

    public const string InvalidMemoryCost = "ApiTokens:Hashing:MemoryCost must be at least 8 KiB per lane and at most 4 GiB.";

    public const string InvalidTimeCost = "ApiTokens:Hashing:TimeCost must be between 1 and 100.";

    public const string InvalidHashLength = "ApiTokens:Hashing:HashLength must be between 16 and 64.";

    public const string InvalidSaltLength = "ApiTokens:Hashing:SaltLength must be between 16 and 64.";

    public const string InvalidMaxWhitelistEntries = "ApiTokens:MaxWhitelistEntries must be between 1 and 10000.";

    /// <summary>Echoed input stays short: at most 64 characters.</summary>
    public static string Shorten(string value) => value.Length <= 64 ? value : string.Concat(value.AsSpan(0, 64), "…");

    private static string ListShort(IEnumerable<string> names)
    {
        var all = names.ToList();
        var shown = string.Join(", ", all.Take(10).Select(Shorten));
        return all.Count > 10 ? Format($"{shown} and {all.Count - 10} more") : shown;
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
