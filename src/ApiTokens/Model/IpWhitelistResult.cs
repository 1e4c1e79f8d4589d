namespace ApiTokens;

/// <summary>
/// The outcome of <see cref="IpWhitelist.Normalize"/>: the normalised list, or what was wrong with the input
/// (<see cref="MaskedRange"/> is set when the invalid entry is a range with host bits: the range it would have been).
/// </summary>
internal readonly record struct IpWhitelistResult(IReadOnlyList<string>? Entries, bool TooManyEntries, string? InvalidEntry, string? MaskedRange = null)
{
    public bool Succeeded => Entries is not null;

    public static IpWhitelistResult Success(IReadOnlyList<string> entries) => new(entries, false, null);

    public static IpWhitelistResult TooMany() => new(null, true, null);

    public static IpWhitelistResult Invalid(string entry, string? maskedRange = null) => new(null, false, entry, maskedRange);
}
