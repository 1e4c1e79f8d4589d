using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// Generates tokens and splits a presented token into its selector and secret, rejecting
/// anything that cannot be a token of this format before any store lookup.
/// </summary>
public sealed class ApiTokenFormat
{
    internal const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const int ChecksumLength = 6;

    /// <summary>Creates the format from options.</summary>
    public ApiTokenFormat(IOptions<ApiTokenOptions> options)
        : this(options?.Value.Format ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    /// <summary>Creates the format from format options.</summary>
    public ApiTokenFormat(ApiTokenFormatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(ApiTokenFormatOptions), typeof(ApiTokenFormatOptions), errors);
        }

        Options = options;
        TotalLength = options.Prefix.Length + options.Length + (options.Checksum ? ChecksumLength : 0);
    }

    /// <summary>The options in force.</summary>
    public ApiTokenFormatOptions Options { get; }

    /// <summary>The length of a whole token, prefix and checksum included.</summary>
    public int TotalLength { get; }

    /// <summary>Generates a new token from a CSPRNG.</summary>
    internal GeneratedToken Generate()
    {
        var body = RandomNumberGenerator.GetString(Alphabet, Options.Length);
        var token = Options.Checksum
            ? string.Concat(Options.Prefix, body, ComputeChecksum(body))
            : string.Concat(Options.Prefix, body);
        return new GeneratedToken(token, body[..Options.SelectorLength], body[Options.SelectorLength..]);
    }

    /// <summary>
    /// Splits <paramref name="token"/> into selector and secret. Returns <see langword="false"/> when the
    /// value cannot be a token of this format (wrong length, prefix, alphabet or checksum).
    /// </summary>
    public bool TryParse(ReadOnlySpan<char> token, out ReadOnlySpan<char> selector, out ReadOnlySpan<char> secret)
    {
        selector = default;
        secret = default;
        if (token.Length != TotalLength || !token.StartsWith(Options.Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var body = token.Slice(Options.Prefix.Length, Options.Length);
        foreach (var c in body)
        {
            if (!(char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c)))
            {
                return false;
            }
        }

        if (Options.Checksum)
        {
            Span<char> expected = stackalloc char[ChecksumLength];
            WriteChecksum(body, expected);
            var presented = token.Slice(Options.Prefix.Length + Options.Length, ChecksumLength);
            if (!presented.SequenceEqual(expected))
            {
                return false;
            }
        }

        selector = body[..Options.SelectorLength];
        secret = body[Options.SelectorLength..];
        return true;
    }

    private static string ComputeChecksum(string body)
    {
        Span<char> chars = stackalloc char[ChecksumLength];
        WriteChecksum(body, chars);
        return new string(chars);
    }

    private static void WriteChecksum(ReadOnlySpan<char> body, Span<char> destination)
    {
        Span<byte> bytes = stackalloc byte[body.Length];
        for (var i = 0; i < body.Length; i++)
        {
            bytes[i] = (byte)body[i];
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, digest);
        var crc = BinaryPrimitives.ReadUInt32BigEndian(digest);
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            destination[i] = Alphabet[(int)(crc % 36)];
            crc /= 36;
        }
    }
}
