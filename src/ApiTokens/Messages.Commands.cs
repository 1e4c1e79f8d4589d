namespace ApiTokens;

/// <summary>The sentences of the <c>tokens</c> command line (help, usage errors, results and notes).</summary>
internal static partial class Messages
{
    // Help.
    public const string CommandExitCodes =
        "Exit codes:\n  0  done\n  1  refused: a token rule, an unknown account or token, the store unavailable (the reason is on standard error)\n  2  usage error";

    public const string TokensCommandDescription = "Create, list, rotate and revoke the API tokens of an account (Authorization: whm USER:TOKEN), and read their audit trail.";

    public const string CreateCommandDescription =
        "Create an API token and print it. The token is alone on the last line of standard output; it is shown only once.";

    public const string ListCommandDescription =
        "List an account's API tokens, one per line: name, created, expires (Unix time or never), privileges, allowed addresses.";

    public const string RevokeCommandDescription =
        "Revoke an API token. Without a backplane, a running server may keep accepting it until its verify cache entry expires (ApiTokens:Cache:Lifetime).";

    public const string UserOptionDescription = "The account's user name.";

    public static string NameOptionDescription() =>
        Format($"The token name: up to {TokenNames.MaxLength} letters, digits, dashes and underscores, unique for the account.");

    public const string PrivilegesCommandDescription =
        "List the privileges the account can put on a token, from the app's catalogue: name, group, description (tab-separated; 'escalates' marks those that can give more than they show).";

    public const string CommandEscalates = "escalates";

    public const string AclOptionDescription = "A privilege the token holds (repeat for more). The account must hold it too.";

    public const string FullAccessOptionDescription = "The token holds every privilege of the account, now and later: the default when no --acl is given.";

    public const string ExpiresAtOptionDescription = "When the token stops working, in Unix time (seconds); 0 or absent for never.";

    public const string WhitelistIpOptionDescription =
        "An address or CIDR range the token may be used from (repeat for more); absent for any.";

    public const string HostConfigurationHelp =
        "Additional arguments in the --Key=value form (for example --ConnectionStrings:Default=...) are the app's configuration, read by its host; any other is a usage error.";

    // Usage errors (exit code 2).
    public static string InvalidExpiresAt(string value) =>
        Format($"--expires-at must be a Unix time in seconds (for example 1893456000), or 0 for never, not “{Shorten(value)}”.");

    public const string AclAndFullAccess = "Use either --acl or --full-access, not both.";

    public static string UnknownCommandArgument(string token) => Format(
        $"Unrecognized argument “{(token.Length > 32 ? Glimpse(token) : token)}”. Host configuration after the command must use the --Key=value form.");

    public static string MisspeltOption(string token, string option) => Format(
        $"“{Shorten(token)}” looks like the option {option}, not host configuration: write {option} VALUE (options are lowercase). Nothing was done.");

    public static string SwallowedHostSetting(string setting, string previous) => Format(
        $"The host's command-line configuration reads “{Shorten(previous)}” and “{Shorten(setting)}” as one setting, so “{Shorten(setting)}” never reached the host. Put host settings before “{Shorten(previous)}”. Nothing was done.");

    public static string SeeCommandHelp(string command) => Format($"Run '{command} --help' for usage.");

    // Results.
    public static string CommandAccountNotFound(string userName) => Format($"The account “{Shorten(userName)}” does not exist.");

    public static string CommandTokenCreated(string name, string userName, string privileges) =>
        Format($"Created API token “{name}” for {userName} ({privileges}). Save it now: it is shown only once.");

    public static string CommandTokenRevoked(string name, string userName) => Format($"Revoked API token “{name}” of {userName}.");

    public const string CommandFullAccess = "full access";

    public const string CommandNever = "never";

    public const string CommandAnyAddress = "any address";

    // Notes after a revocation (standard error; the exit code stays 0).
    public static string RevokedWithoutBackplane(string lifetime) => Format(
        $"Note: a running server may keep accepting this token for up to {lifetime} (ApiTokens:Cache:Lifetime): this command runs in its own process and cannot reach the server's verify cache. Add a backplane (for example AddRedisBackplane, here and on the server) so the change reaches it at once, or restart the server.");

    public static string RevokedButNotPublished(string lifetime) => Format(
        $"Note: the backplane could not be reached, so running servers were not told of this change: they may keep accepting this token for up to {lifetime} (ApiTokens:Cache:Lifetime, or the backplane's degraded cache lifetime on a server that has lost it too), unless they restart.");
}
