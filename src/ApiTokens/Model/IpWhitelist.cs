using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ApiTokens;

/// <summary>Parses, normalises and matches IP whitelists (IPv4, IPv6, CIDR).</summary>
public static class IpWhitelist
{
    /// <summary>
    /// Normalises entries: each one parsed strictly, host bits of a range cleared, host masks
    /// (<c>/32</c>, <c>/128</c>) dropped, duplicates removed, sorted with IPv4 first.
    /// </summary>
    /// <returns>The normalised list (empty means any address), or an error naming the bad entry.</returns>
    public static ApiTokenResult<IReadOnlyList<string>> Normalize(IEnumerable<string> entries, int maxEntries = 100)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries as IReadOnlyCollection<string> ?? entries.ToList();
        if (list.Count > maxEntries * 4)
        {
            return ApiTokenErrors.TooManyWhitelistEntries(maxEntries); // refuse before parsing a huge list
        }

        var parsed = new List<(IPAddress Address, int Prefix)>();
        foreach (var raw in list)
        {
            var entry = raw?.Trim() ?? string.Empty;
            if (!TryParseEntry(entry, out var address, out var prefix))
            {
                return ApiTokenErrors.InvalidWhitelistEntry(raw ?? string.Empty);
            }

            parsed.Add((address, prefix));
        }

        var distinct = parsed
            .Select(p => (p.Address, p.Prefix, Text: Format(p.Address, p.Prefix)))
            .DistinctBy(p => p.Text, StringComparer.Ordinal)
            .OrderBy(p => p.Address.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
            .ThenBy(p => p.Address.GetAddressBytes(), ByteArrayComparer.Instance)
            .ThenBy(p => p.Prefix)
            .Select(p => p.Text)
            .ToArray();

        if (distinct.Length > maxEntries)
        {
            return ApiTokenErrors.TooManyWhitelistEntries(maxEntries);
        }

        return ApiTokenResult<IReadOnlyList<string>>.Success(distinct);
    }

    /// <summary>Parses a stored, normalised list once for matching. Entries that no longer parse are dropped (so they allow nothing).</summary>
    internal static (IPAddress Network, int Prefix)[] Parse(IReadOnlyList<string> whitelist)
    {
        var parsed = new List<(IPAddress, int)>(whitelist.Count);
        foreach (var entry in whitelist)
        {
            if (TryParseEntry(entry, out var address, out var prefix))
            {
                parsed.Add((address, prefix));
            }
        }

        return parsed.ToArray();
    }

    /// <summary>Whether <paramref name="remote"/> is allowed: <see langword="null"/> means any address; a list needs a match.</summary>
    internal static bool Matches((IPAddress Network, int Prefix)[]? whitelist, IPAddress? remote)
    {
        if (whitelist is null)
        {
            return true;
        }

        if (remote is null)
        {
            return false;
        }

        foreach (var (network, prefix) in whitelist)
        {
            if (Contains(network, prefix, remote))
            {
                return true;
            }
        }

        return false;
    }

    internal static bool Contains(IPAddress network, int prefix, IPAddress remote)
    {
        if (remote.IsIPv4MappedToIPv6 && network.AddressFamily == AddressFamily.InterNetwork)
        {
            remote = remote.MapToIPv4();
        }

        if (remote.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        network.TryWriteBytes(a, out var length);
        remote.TryWriteBytes(b, out _);
        var full = prefix / 8;
        if (!a[..full].SequenceEqual(b[..full]))
        {
            return false;
        }

        var rest = prefix % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return full < length && (a[full] & mask) == (b[full] & mask);
    }

    internal static bool TryParseEntry(string entry, out IPAddress address, out int prefix)
    {
        address = IPAddress.None;
        prefix = 0;
        if (string.IsNullOrEmpty(entry) || entry.Length > 64)
        {
            return false;
        }

        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        var host = slash < 0 ? entry : entry[..slash];
        if (!TryParseAddress(host, out var parsed))
        {
            return false;
        }

        var max = parsed.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        prefix = max;
        if (slash >= 0)
        {
            var bits = entry[(slash + 1)..];
            if (bits.Length is 0 or > 3 || !bits.All(char.IsAsciiDigit)
                || !int.TryParse(bits, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > max)
            {
                return false;
            }
        }

        address = Mask(parsed, prefix);
        return true;
    }

    private static bool TryParseAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            // IPv6: no zone ids, no brackets.
            if (text.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(text, out var v6)
                || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            address = v6;
            return true;
        }

        // IPv4: exactly four decimal octets (IPAddress.TryParse alone accepts "1", "0x7f.1", ...).
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < 4; i++)
        {
            var p = parts[i];
            if (p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || (p.Length > 1 && p[0] == '0')
                || !byte.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }

        address = new IPAddress(bytes);
        return true;
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bitsHere = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bitsHere));
        }

        return new IPAddress(bytes);
    }

    private static string Format(IPAddress address, int prefix)
    {
        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        return prefix == max ? address.ToString() : string.Create(CultureInfo.InvariantCulture, $"{address}/{prefix}");
    }

    private sealed class ByteArrayComparer : IComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
