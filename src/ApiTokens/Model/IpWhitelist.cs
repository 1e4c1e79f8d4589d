using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ApiTokens;

/// <summary>
/// Parses, normalises and matches IP whitelists (IPv4, IPv6, CIDR) with <see cref="IPNetwork"/>. The address part is parsed
/// by hand first because WHM is stricter than <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>: exactly four decimal
/// octets for IPv4 (no <c>1</c>, <c>0x7f.1</c> or leading zeros), no zone ids or brackets for IPv6.
/// </summary>
internal static class IpWhitelist
{
    /// <summary>
    /// Normalises entries as WHM does: each one parsed strictly (a range with host bits set, such as <c>192.0.2.9/29</c>, is
    /// refused, not masked), host masks (<c>/32</c>, <c>/128</c>) dropped, duplicates removed, sorted with IPv4 first. IPv6 is
    /// stored compressed; <see cref="ToWhmForm"/> writes it as WHM answers it.
    /// </summary>
    public static IpWhitelistResult Normalize(IEnumerable<string> entries, int maxEntries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries as IReadOnlyCollection<string> ?? entries.ToList();
        if (list.Count > maxEntries * 4)
        {
            return IpWhitelistResult.TooMany(); // refuse before parsing a huge list
        }

        var parsed = new List<IPNetwork>(list.Count);
        foreach (var raw in list)
        {
            if (!TryParseEntry(raw?.Trim() ?? string.Empty, out var network, out var masked))
            {
                return IpWhitelistResult.Invalid(raw ?? string.Empty, masked is { } m ? Format(m) : null);
            }

            parsed.Add(network);
        }

        var distinct = parsed
            .Distinct()
            .OrderBy(n => n.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
            .ThenBy(n => n.BaseAddress.GetAddressBytes(), ByteArrayComparer.Instance)
            .ThenBy(n => n.PrefixLength)
            .Select(Format)
            .ToArray();

        return distinct.Length > maxEntries ? IpWhitelistResult.TooMany() : IpWhitelistResult.Success(distinct);
    }

    /// <summary>Parses a stored, normalised list once for matching. Entries that no longer parse are dropped (so they allow nothing).</summary>
    public static IPNetwork[] Parse(IReadOnlyList<string> whitelist)
    {
        var parsed = new List<IPNetwork>(whitelist.Count);
        foreach (var entry in whitelist)
        {
            if (TryParseEntry(entry, out var network))
            {
                parsed.Add(network);
            }
        }

        return parsed.ToArray();
    }

    /// <summary>Whether <paramref name="remote"/> is allowed: <see langword="null"/> means any address; a list needs a match.</summary>
    /// <remarks>
    /// An IPv4 client is an IPv4 client whatever the listener: on a dual-mode socket it arrives as an IPv4-mapped IPv6 address
    /// (<c>::ffff:a.b.c.d</c>) and is matched as the IPv4 address, against IPv4 entries only (an entry written in the mapped form
    /// is stored as IPv4, see <see cref="Normalize"/>). So <c>::/0</c> admits every IPv6 client and no IPv4 one, and
    /// <c>::ffff:192.0.2.10</c> admits 192.0.2.10 on an IPv4 listener as on a dual-stack one.
    /// </remarks>
    public static bool Matches(IPNetwork[]? whitelist, IPAddress? remote)
    {
        if (whitelist is null)
        {
            return true;
        }

        if (remote is null)
        {
            return false;
        }

        var client = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        foreach (var network in whitelist)
        {
            if (network.BaseAddress.AddressFamily == client.AddressFamily && network.Contains(client))
            {
                return true;
            }
        }

        return false;
    }

    public static bool TryParseEntry(string entry, out IPNetwork network) => TryParseEntry(entry, out network, out _);

    /// <summary>Parses one entry; a range with host bits set is refused, and <paramref name="masked"/> is the range it would be.</summary>
    private static bool TryParseEntry(string entry, out IPNetwork network, out IPNetwork? masked)
    {
        network = default;
        masked = null;
        if (string.IsNullOrEmpty(entry) || entry.Length > 64)
        {
            return false;
        }

        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        if (!TryParseAddress(slash < 0 ? entry : entry[..slash], out var address))
        {
            return false;
        }

        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = max;
        if (slash >= 0)
        {
            var bits = entry[(slash + 1)..];
            if (bits.Length is 0 or > 3 || !bits.All(char.IsAsciiDigit)
                || !int.TryParse(bits, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > max)
            {
                return false;
            }
        }

        // WHM refuses a range whose address has host bits set (192.0.2.9/29) rather than mask it.
        var cleared = ClearHostBits(address, prefix);
        if (!cleared.Equals(address))
        {
            masked = new IPNetwork(cleared, prefix);
            return false;
        }

        // An IPv4-mapped entry (::ffff:192.0.2.10, ::ffff:192.0.2.0/120) is the IPv4 address or range it maps: clients are matched
        // as IPv4 whatever the listener (see Matches).
        if (address.IsIPv4MappedToIPv6 && prefix >= 96)
        {
            address = address.MapToIPv4();
            prefix -= 96;
        }

        network = new IPNetwork(address, prefix);
        return true;
    }

    private static bool TryParseAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (text.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(text, out var v6)
                || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            address = v6;
            return true;
        }

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

    private static IPAddress ClearHostBits(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bitsHere = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bitsHere));
        }

        return new IPAddress(bytes);
    }

    /// <summary>
    /// A stored entry as WHM writes it in its answers: IPv4 unchanged, IPv6 in full form
    /// (<c>fc00:abcd:0000:0000:0000:0000:0000:000f</c>, <c>2001:0db8:0000:0000:0000:0000:0000:0000/32</c>). An entry that no
    /// longer parses is returned as it is.
    /// </summary>
    public static string ToWhmForm(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!TryParseEntry(entry, out var network))
        {
            return entry;
        }

        if (network.BaseAddress.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return Format(network); // IPv4, or an older entry stored in the IPv4-mapped form
        }

        var address = FullForm(network.BaseAddress);
        return network.PrefixLength == 128 ? address : string.Concat(address, "/", network.PrefixLength.ToString(CultureInfo.InvariantCulture));
    }

    private static string Format(IPNetwork network)
    {
        var max = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        return network.PrefixLength == max ? network.BaseAddress.ToString() : network.ToString();
    }

    /// <summary>An IPv6 address as WHM writes it: eight groups of four lower-case hex digits, nothing compressed.</summary>
    private static string FullForm(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var groups = new string[8];
        for (var i = 0; i < 8; i++)
        {
            groups[i] = ((bytes[2 * i] << 8) | bytes[(2 * i) + 1]).ToString("x4", CultureInfo.InvariantCulture);
        }

        return string.Join(':', groups);
    }

    private sealed class ByteArrayComparer : IComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
