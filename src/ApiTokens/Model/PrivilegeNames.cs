namespace ApiTokens;

/// <summary>
/// The privilege-name rule, written once: 1 to <see cref="MaxLength"/> ASCII letters, digits, dots (<c>.</c>), colons
/// (<c>:</c>), dashes (<c>-</c>) and underscores (<c>_</c>), starting and ending with a letter or a digit, and not starting
/// with <c>whm:</c> (which would read as a policy name: <c>[Authorize(Policy = "whm:orders.read")]</c> already means the
/// privilege <c>orders.read</c>). So <c>list-accts</c>, <c>orders.read</c>, <c>orders:write</c> and <c>Orders.Read</c> are
/// names, and <c>orders read</c>, <c>.orders</c>, <c>orders.</c> and <c>été</c> are not. Names keep their case and are compared
/// exactly (ordinal): <c>Orders.Read</c> and <c>orders.read</c> are different names, and one catalogue cannot hold both.
/// </summary>
public static class PrivilegeNames
{
    /// <summary>The longest name: 64 characters.</summary>
    public const int MaxLength = 64;

    /// <summary>The rule as a regular expression (JavaScript and .NET syntax alike).</summary>
    public const string Pattern = "^(?![Ww][Hh][Mm]:)[A-Za-z0-9](?:[A-Za-z0-9.:_-]{0,62}[A-Za-z0-9])?$";

    /// <summary>The rule in words, as start-up errors state it.</summary>
    public const string Rule =
        "A privilege name has 1 to 64 characters: letters (A-Z, a-z), digits, dots (.), colons (:), dashes (-) and underscores (_). " +
        "It starts and ends with a letter or a digit, and does not start with 'whm:'.";

    private const string ReservedPrefix = "whm:";

    /// <summary>Whether <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength
            || !char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1])
            || name.StartsWith(ReservedPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or ':' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
