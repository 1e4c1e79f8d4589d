using System.Text.Json;

namespace ApiTokens;

/// <summary>One token of a cPanel token file, read but not yet checked against the account.</summary>
/// <param name="Sha512Hex">The file's key: <c>sha512_hex(token)</c>, in lower case.</param>
/// <param name="Name">The token's name.</param>
/// <param name="CreatedAt">Its <c>create_time</c>, or <see langword="null"/> when the file has none.</param>
/// <param name="ExpiresAt">Its <c>expires_at</c>; <see langword="null"/> (or 0 in the file) for never.</param>
/// <param name="Acls">Its privileges; <see langword="null"/> for full access (a list that holds <c>all</c>; a file without a list is refused).</param>
/// <param name="WhitelistIps">Its whitelist as written; <see langword="null"/> for any address.</param>
internal sealed record WhmTokenFileEntry(
    string Sha512Hex, string Name, DateTimeOffset? CreatedAt, DateTimeOffset? ExpiresAt, IReadOnlyList<string>? Acls, IReadOnlyList<string>? WhitelistIps)
{
    // Printing an entry never shows its hash.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name).Append(", Sha512Hex = ***");
        return true;
    }
}

/// <summary>
/// Reads cPanel's <c>/var/cpanel/authn/api_tokens_v2/whostmgr/&lt;user&gt;.json</c>:
/// <c>{"tokens":{"&lt;sha512 hex&gt;":{"name":…,"create_time":…,"expires_at":…,"acls":[…],"whitelist_ips":[…]}}}</c>. Other keys,
/// anywhere, are ignored; an entry without <c>acls</c> (cPanel writes <c>["all"]</c> for full access) or with a key twice is refused. Every entry is read before any is used; the first problem is the answer, in one sentence.
/// </summary>
internal static class WhmTokenFile
{
    /// <summary>No cPanel token file comes near this; a larger one (a pipe too) is refused once this much is read.</summary>
    public const int MaxMegabytes = 16;

    public static ApiTokenResult<IReadOnlyList<WhmTokenFileEntry>> Parse(ReadOnlySpan<byte> json, string path)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            return Refuse(Messages.ImportNotJson(path, Detail(ex)));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("tokens", out var tokens)
                || tokens.ValueKind != JsonValueKind.Object)
            {
                return Refuse(Messages.ImportNoTokensObject(path));
            }

            var entries = new List<WhmTokenFileEntry>();
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in tokens.EnumerateObject())
            {
                if (!LegacyTokens.IsSha512Hex(property.Name))
                {
                    return Refuse(Messages.ImportBadKey(property.Name));
                }

                var read = ReadEntry(property.Name.ToLowerInvariant(), property.Value);
                if (!read.Succeeded)
                {
                    return read.Error;
                }

                if (!keys.Add(read.Value.Sha512Hex))
                {
                    return Refuse(Messages.ImportRepeatedKey(read.Value.Name));
                }

                entries.Add(read.Value);
            }

            if (entries.Count == 0)
            {
                return Refuse(Messages.ImportNoTokens(path));
            }

            return ApiTokenResult<IReadOnlyList<WhmTokenFileEntry>>.Success(entries);
        }
    }

    private static ApiTokenResult<WhmTokenFileEntry> ReadEntry(string key, JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return Refuse(Messages.ImportBadEntry(key, "value", "an object"));
        }

        // A key twice would be read as one of its values, silently: refuse it (cPanel writes each once).
        var fields = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in entry.EnumerateObject())
        {
            if (!fields.Add(field.Name))
            {
                return Refuse(Messages.ImportRepeatedField(key, field.Name));
            }
        }

        if (!entry.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
        {
            return Refuse(Messages.ImportBadEntry(key, "name", "a string"));
        }

        var name = nameElement.GetString()!;

        if (!TryReadTime(entry, "create_time", out var createdAt))
        {
            return Refuse(Messages.ImportBadEntry(key, "create_time", "a Unix time in seconds"));
        }

        if (!TryReadTime(entry, "expires_at", out var expiresAt))
        {
            return Refuse(Messages.ImportBadEntry(key, "expires_at", "a Unix time in seconds, 0 or null"));
        }

        // Fail closed: cPanel writes ["all"] for full access, so no list (or null) is a damaged entry, never full access.
        if (!entry.TryGetProperty("acls", out var aclsElement) || aclsElement.ValueKind == JsonValueKind.Null)
        {
            return Refuse(Messages.ImportNoAcls(name));
        }

        if (!TryReadStrings(entry, "acls", out var acls))
        {
            return Refuse(Messages.ImportBadEntry(key, "acls", "a list of privilege names"));
        }

        if (!TryReadStrings(entry, "whitelist_ips", out var whitelist))
        {
            return Refuse(Messages.ImportBadEntry(key, "whitelist_ips", "a list of addresses"));
        }

        // As the manager reads acl=all: a list that holds "all" is full access.
        if (acls is not null && acls.Contains(WhmPrivileges.All, StringComparer.Ordinal))
        {
            acls = null;
        }

        return ApiTokenResult<WhmTokenFileEntry>.Success(new WhmTokenFileEntry(
            key, name, createdAt, expiresAt == DateTimeOffset.UnixEpoch ? null : expiresAt, acls, whitelist is { Count: 0 } ? null : whitelist));
    }

    /// <summary>A time in whole seconds: a JSON integer or a string of digits; absent or null is none.</summary>
    private static bool TryReadTime(JsonElement entry, string name, out DateTimeOffset? value)
    {
        value = null;
        if (!entry.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        long seconds;
        if (element.ValueKind == JsonValueKind.Number)
        {
            if (!element.TryGetInt64(out seconds))
            {
                return false;
            }
        }
        else if (element.ValueKind != JsonValueKind.String
            || !long.TryParse(element.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out seconds))
        {
            return false;
        }

        if (seconds is < 0 or > UnixTime.MaxSeconds)
        {
            return false;
        }

        value = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    /// <summary>A list of strings; absent or null is none.</summary>
    private static bool TryReadStrings(JsonElement entry, string name, out IReadOnlyList<string>? values)
    {
        values = null;
        if (!entry.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var list = new List<string>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            list.Add(item.GetString()!);
        }

        values = list;
        return true;
    }

    /// <summary>Where the JSON broke, without echoing the file (which holds hashes).</summary>
    private static string Detail(JsonException ex) =>
        ex.LineNumber is { } line ? $"line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}" : "it cannot be read";

    private static ApiTokenError Refuse(string message) => new(ApiTokenErrorCode.InvalidImport, message, "file");
}
