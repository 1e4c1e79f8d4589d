namespace ApiTokens;

/// <summary>Every user-facing error message, written once. WHM's wording is kept where WHM has one.</summary>
public static class ApiTokenErrors
{
    /// <summary>A name that breaks the rule.</summary>
    public static ApiTokenError InvalidName(string name) => new(
        ApiTokenErrorCode.InvalidName,
        $"The API token name “{Shorten(name)}” is not valid. A name can only contain up to 50 letters (A-Z, a-z), digits, dashes (-), and underscores (_).",
        "name");

    /// <summary>A name already in use.</summary>
    public static ApiTokenError DuplicateName(string name) => new(
        ApiTokenErrorCode.DuplicateName,
        $"A conflicting API token with the name “{Shorten(name)}” already exists. Choose another name.",
        "name");

    /// <summary>An explicitly empty privilege list.</summary>
    public static ApiTokenError NoPrivileges { get; } = new(
        ApiTokenErrorCode.NoPrivileges,
        "You must assign at least one ACL privilege to the token.",
        "acls");

    /// <summary>Unknown or unheld privileges.</summary>
    public static ApiTokenError UnauthorizedPrivileges(IEnumerable<string> names) => new(
        ApiTokenErrorCode.UnauthorizedPrivileges,
        $"Invalid or unauthorized ACL(s) specified: {ListShort(names)}. Choose only privileges that your account holds.",
        "acls");

    /// <summary>An expiry that is not in the future.</summary>
    public static ApiTokenError ExpiryNotInFuture { get; } = new(
        ApiTokenErrorCode.ExpiryNotInFuture,
        "The expiration time must be a future date. Choose a later time, or none for a token that never expires.",
        "expires_at");

    /// <summary>A malformed whitelist entry.</summary>
    public static ApiTokenError InvalidWhitelistEntry(string entry) => new(
        ApiTokenErrorCode.InvalidWhitelist,
        $"“{Shorten(entry)}” is not a valid IP address or CIDR range. Use forms such as 192.0.2.10, 198.51.100.0/24 or 2001:db8::/32.",
        "whitelist_ips");

    /// <summary>Too many whitelist entries.</summary>
    public static ApiTokenError TooManyWhitelistEntries(int max) => new(
        ApiTokenErrorCode.InvalidWhitelist,
        $"You can specify at most {max} IP addresses or ranges. Combine addresses into CIDR ranges.",
        "whitelist_ips");

    /// <summary>The owner does not exist.</summary>
    public static ApiTokenError AccountNotFound { get; } = new(
        ApiTokenErrorCode.AccountNotFound,
        "The account does not exist.");

    /// <summary>The owner is suspended.</summary>
    public static ApiTokenError AccountSuspended { get; } = new(
        ApiTokenErrorCode.AccountSuspended,
        "You cannot create an API token for a suspended account. Unsuspend the account first.");

    /// <summary>No token by that name.</summary>
    public static ApiTokenError TokenNotFound(string name) => new(
        ApiTokenErrorCode.TokenNotFound,
        $"The API token “{Shorten(name)}” does not exist.",
        "name");

    /// <summary>An update with nothing to change.</summary>
    public static ApiTokenError NothingToUpdate { get; } = new(
        ApiTokenErrorCode.NothingToUpdate,
        "Specify a new name, updated ACLs, or IPs.");

    /// <summary>A revoke with no names.</summary>
    public static ApiTokenError NoTokenNames { get; } = new(
        ApiTokenErrorCode.NoTokenNames,
        "Specify at least one API token name to revoke.",
        "name");

    /// <summary>A lost update.</summary>
    public static ApiTokenError ConcurrencyFailure(string name) => new(
        ApiTokenErrorCode.ConcurrencyFailure,
        $"The API token “{Shorten(name)}” was changed by another request. Reload the list and try again.");

    /// <summary>The store is down.</summary>
    public static ApiTokenError StoreUnavailable { get; } = new(
        ApiTokenErrorCode.StoreUnavailable,
        "The API token store is unavailable. Nothing was changed; try again later.");

    /// <summary>Echoed input stays short: at most 64 characters.</summary>
    internal static string Shorten(string value) => value.Length <= 64 ? value : string.Concat(value.AsSpan(0, 64), "…");

    private static string ListShort(IEnumerable<string> names)
    {
        var all = names.ToList();
        var shown = string.Join(", ", all.Take(10).Select(Shorten));
        return all.Count > 10 ? $"{shown} and {all.Count - 10} more" : shown;
    }
}
