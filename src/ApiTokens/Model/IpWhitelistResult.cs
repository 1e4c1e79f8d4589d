namespace ApiTokens;

/// <summary>The outcome of <see cref="IpWhitelist.Normalize"/>: the normalised list, or what was wrong with the input.</summary>
internal readonly record struct IpWhitelistResult(IReadOnlyList<string>? Entries, bool TooManyEntries, string? InvalidEntry)
{
    public bool Succeeded => Entries is not null;

    public static IpWhitelistResult Success(IReadOnlyList<string> entries) => new(entries, false, null);

    public static IpWhitelistResult TooMany() => new(null, true, null);

    public static IpWhitelistResult Invalid(string entry) => new(null, false, entry);
}
