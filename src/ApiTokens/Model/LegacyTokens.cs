using System.Security.Cryptography;

namespace ApiTokens;

/// <summary>
/// How a credential made on a cPanel server (a token imported from <c>api_tokens_v2</c>, or a Remote Access Key turned into a
/// token) is stored and found, written once. cPanel keeps only <c>sha512_hex(value)</c>, so such a row cannot have a native
/// selector (the first characters of the value): it is stored under a <em>digest selector</em>, <c>~</c> and the first 30 hex
/// digits of that SHA-512, which no native selector can be (they are <c>[0-9A-Z]</c> only), and the verifier computes the same
/// from a presented value. An imported row's <see cref="ApiToken.SecretHash"/> is <c>$sha512$&lt;128 hex digits&gt;</c> until the
/// token's first use, when it is upgraded to the native form.
/// </summary>
internal static class LegacyTokens
{
    /// <summary>What every digest selector starts with; never a character of a native selector.</summary>
    public const string SelectorPrefix = "~";

    /// <summary>How many hex digits of the SHA-512 follow the prefix: 120 bits, so the selector is unique per account.</summary>
    public const int SelectorDigits = 30;

    /// <summary>The shortest legacy value looked up (cPanel's tokens are 32 characters; an access hash is hundreds).</summary>
    public const int MinLength = 16;

    /// <summary>The longest legacy value looked up: a Remote Access Key is about 1,000 characters once its whitespace is removed.</summary>
    public const int MaxLength = 4096;

    /// <summary>
    /// The longest <c>Authorization</c> header accepted while digest-selector rows are stored: <c>whm</c>, a user name of up to
    /// 1,024 characters, a colon and <see cref="MaxLength"/>. Any other header keeps <c>WhmTokenOptions.MaxHeaderLength</c>.
    /// </summary>
    public const int MaxHeaderLength = 8 + 1024 + 1 + MaxLength;

    /// <summary>The <see cref="ApiToken.SecretHash"/> form of a token imported from cPanel: <c>$sha512$</c> and 128 lower-case hex digits.</summary>
    public const string Sha512HashPrefix = "$sha512$";

    /// <summary>Whether <paramref name="selector"/> is a digest selector (a row made from a cPanel credential).</summary>
    public static bool IsDigestSelector(string selector) => selector.StartsWith(SelectorPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Whether <paramref name="value"/> can be a legacy credential at all: <see cref="MinLength"/> to <see cref="MaxLength"/>
    /// printable ASCII characters without spaces. Anything else is refused before any store lookup.
    /// </summary>
    public static bool IsCandidate(ReadOnlySpan<char> value)
    {
        if (value.Length is < MinLength or > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is <= ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="hex"/> is a SHA-512 in hex (128 digits, either case): the key of a cPanel token file.</summary>
    public static bool IsSha512Hex(ReadOnlySpan<char> hex)
    {
        if (hex.Length != SHA512.HashSizeInBytes * 2)
        {
            return false;
        }

        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>sha512_hex(value)</c> as cPanel computes it (the value's ASCII bytes), in lower case.</summary>
    public static string Sha512Hex(ReadOnlySpan<char> value)
    {
        var bytes = value.Length <= 1024 ? stackalloc byte[value.Length] : new byte[value.Length];
        for (var i = 0; i < value.Length; i++)
        {
            bytes[i] = (byte)value[i];
        }

        Span<byte> digest = stackalloc byte[SHA512.HashSizeInBytes];
        SHA512.HashData(bytes, digest);
        CryptographicOperations.ZeroMemory(bytes);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>The digest selector of a row whose value has the SHA-512 <paramref name="sha512Hex"/>.</summary>
    public static string SelectorForHash(ReadOnlySpan<char> sha512Hex) =>
        string.Concat(SelectorPrefix, sha512Hex[..SelectorDigits].ToString().ToLowerInvariant());

    /// <summary>The digest selector a presented <paramref name="value"/> is looked up under.</summary>
    public static string SelectorFor(ReadOnlySpan<char> value) => SelectorForHash(Sha512Hex(value));

    /// <summary>The stored hash of an imported token: <c>$sha512$</c> and the file's key in lower case.</summary>
    public static string Sha512SecretHash(string sha512Hex) => Sha512HashPrefix + sha512Hex.ToLowerInvariant();
}
