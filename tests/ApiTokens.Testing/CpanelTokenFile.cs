using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ApiTokens.Testing;

/// <summary>
/// Writes a cPanel token file as a cPanel server has it (<c>/var/cpanel/authn/api_tokens_v2/whostmgr/&lt;user&gt;.json</c>:
/// tokens keyed by <c>sha512_hex(token)</c>), with the plaintext tokens kept here for the test to present afterwards.
/// </summary>
public sealed class CpanelTokenFile
{
    private readonly JsonObject _tokens = [];
    private readonly Dictionary<string, string> _plaintext = new(StringComparer.Ordinal);

    /// <summary>A new cPanel-format token: 32 random characters of <c>[0-9A-Z]</c>.</summary>
    public static string NewToken() => RandomNumberGenerator.GetString("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 32);

    /// <summary><c>sha512_hex(value)</c>, lower case, as cPanel writes it.</summary>
    public static string Sha512Hex(string value) => Convert.ToHexStringLower(SHA512.HashData(Encoding.ASCII.GetBytes(value)));

    /// <summary>The plaintext token of <paramref name="name"/>.</summary>
    public string this[string name] => _plaintext[name];

    /// <summary>
    /// Adds a token the way cPanel stores it. <paramref name="acls"/> null writes <c>["all"]</c> (full access, as cPanel writes it);
    /// the entry also carries a key cPanel may add that the importer must ignore.
    /// </summary>
    public CpanelTokenFile Add(
        string name, string[]? acls = null, long createTime = 1_700_000_000, long? expiresAt = null, string[]? whitelist = null, string? token = null)
    {
        token ??= NewToken();
        var entry = new JsonObject
        {
            ["name"] = name,
            ["create_time"] = createTime,
            ["expires_at"] = expiresAt,
            ["whitelist_ips"] = whitelist is null ? null : new JsonArray([.. whitelist.Select(w => (JsonNode)w)]),
            ["some_future_key"] = "ignored",
            ["acls"] = new JsonArray([.. (acls ?? ["all"]).Select(a => (JsonNode)a)]),
        };

        _tokens[Sha512Hex(token)] = entry;
        _plaintext[name] = token;
        return this;
    }

    /// <summary>Adds a raw entry under a raw key (for malformed files).</summary>
    public CpanelTokenFile AddRaw(string key, JsonNode? entry)
    {
        _tokens[key] = entry;
        return this;
    }

    /// <summary>The file's JSON text.</summary>
    public string ToJson() => new JsonObject { ["tokens"] = _tokens.DeepClone(), ["version"] = 2 }.ToJsonString();

    /// <summary>Writes the file as <paramref name="fileName"/> in a new temporary directory; returns its path.</summary>
    public string WriteTo(string fileName)
    {
        var directory = Path.Combine(Path.GetTempPath(), "apitokens-cpanel-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, ToJson());
        return path;
    }
}
