namespace ApiTokens;

/// <summary>
/// The shape of a token. The default is cPanel's: 32 characters from <c>[0-9A-Z]</c>, no prefix, no checksum.
/// </summary>
public sealed class ApiTokenFormatOptions
{
    /// <summary>The minimum number of secret characters: 24 base-36 characters carry 124 bits.</summary>
    public const int MinimumSecretLength = 24;

    /// <summary>The number of random <c>[0-9A-Z]</c> characters. Default 32.</summary>
    public int Length { get; set; } = 32;

    /// <summary>
    /// How many leading random characters form the public selector used to find the record. Default 8;
    /// the rest (24 by default, 124 bits) is the secret that is hashed.
    /// </summary>
    public int SelectorLength { get; set; } = 8;

    /// <summary>
    /// An optional prefix, such as <c>myapp_</c>, so a leaked token can be recognised by secret scanners.
    /// Letters, digits and <c>_</c> only. Default none.
    /// </summary>
    public string Prefix { get; set; } = string.Empty;

    /// <summary>
    /// Whether to append a 6-character checksum (the first 32 bits of the body's SHA-256, in base 36), so mistyped or forged tokens are rejected
    /// before any store lookup. Default <see langword="false"/> (cPanel's format has none).
    /// </summary>
    public bool Checksum { get; set; }

    internal IEnumerable<string> Validate()
    {
        if (SelectorLength is < 4 or > 32)
        {
            yield return Messages.InvalidSelectorLength;
        }

        if (Length - SelectorLength < MinimumSecretLength)
        {
            yield return Messages.SecretTooShort(MinimumSecretLength);
        }

        if (Length > 128)
        {
            yield return Messages.InvalidTokenLength;
        }

        if (Prefix is null || Prefix.Length > 32 || Prefix.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            yield return Messages.InvalidTokenPrefix;
        }
    }
}
