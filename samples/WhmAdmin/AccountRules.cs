namespace WhmAdmin;

/// <summary>What the account functions accept for each stored field (each refusal's sentence is in <see cref="AdminMessages"/>).</summary>
internal static class AccountRules
{
    public const int MaxDomainLength = 253;

    public const int MaxEmailLength = 254;

    public const int MaxPlanLength = 64;

    public const int MaxReasonLength = 1000;

    public const int MinPasswordLength = 8;

    /// <summary>1 to 16 lower-case ASCII letters and digits, starting with a letter (cPanel's user names, without <c>-</c> and <c>_</c>).</summary>
    public static bool IsValidUserName(string name) =>
        name.Length is >= 1 and <= 16 && char.IsAsciiLetterLower(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));

    /// <summary>
    /// A host name of at least two labels (<c>example.com</c>): letters, digits and inner hyphens, 1 to 63 characters each,
    /// 253 in all, compared and stored in lower case; the last label is not all digits (that would be an IP address).
    /// </summary>
    public static bool TryNormalizeDomain(string value, out string domain)
    {
        domain = value.Trim().TrimEnd('.').ToLowerInvariant();
        if (domain.Length is 0 or > MaxDomainLength)
        {
            return false;
        }

        var labels = domain.Split('.');
        return labels.Length >= 2
            && labels.All(l => l.Length is >= 1 and <= 63 && l[0] != '-' && l[^1] != '-' && l.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            && !labels[^1].All(char.IsAsciiDigit);
    }

    /// <summary>One address: <c>local@domain</c>, no spaces or control characters, 254 characters at most.</summary>
    public static bool IsValidEmail(string value)
    {
        var at = value.LastIndexOf('@');
        return value.Length <= MaxEmailLength
            && at > 0
            && at < value.Length - 1
            && value.IndexOf('@') == at
            && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ',')
            && TryNormalizeDomain(value[(at + 1)..], out _);
    }

    /// <summary>A plan (package) name: 1 to 64 characters, no control characters.</summary>
    public static bool IsValidPlan(string value) => value.Length is >= 1 and <= MaxPlanLength && !value.Any(char.IsControl);
}
