namespace ApiTokens;

/// <summary>
/// WHM's token-name rule, written once: 1 to <see cref="MaxLength"/> of <c>[A-Za-z0-9_-]</c>. The manager enforces it, the EF
/// column is sized by it, and the page's script reads it from its session payload.
/// </summary>
public static class TokenNames
{
    /// <summary>The longest name: 50 characters.</summary>
    public const int MaxLength = 50;

    /// <summary>The rule as a regular expression (JavaScript and .NET syntax alike), for clients that check as the user types.</summary>
    public const string Pattern = "^[A-Za-z0-9_-]{1,50}$";

    /// <summary>Whether <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
