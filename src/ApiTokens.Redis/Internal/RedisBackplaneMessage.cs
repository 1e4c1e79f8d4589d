using System.Text.Json;
using System.Text.Json.Serialization;

namespace ApiTokens.Redis.Internal;

/// <summary>
/// One message on the channel, as JSON: <c>{"n":node,"k":kind,"a":account,"p":probe}</c>. Carries ids only: never a token,
/// a hash or a user's secret.
/// </summary>
internal sealed record RedisBackplaneMessage(
    [property: JsonPropertyName("n")] string Node,
    [property: JsonPropertyName("k")] string Kind,
    [property: JsonPropertyName("a")] string? AccountId = null,
    [property: JsonPropertyName("p")] string? ProbeId = null)
{
    /// <summary>Every cached token of the account is stale (a token changed or was revoked, or the account itself changed).</summary>
    public const string AccountChanged = "account";

    /// <summary>Drop every cached entry (changes were lost while Redis was down, or too many waited).</summary>
    public const string ClearAll = "clear";

    /// <summary>A node checking that its own subscription works; other nodes ignore it.</summary>
    public const string Probe = "probe";

    /// <summary>
    /// What older nodes sent when one token changed (with its selector in <c>"s"</c>, which no node ever read). Received, it
    /// is an account change: the same entries become stale.
    /// </summary>
    public const string LegacyTokenChanged = "token";

    public static byte[] Serialize(RedisBackplaneMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, RedisBackplaneJsonContext.Default.RedisBackplaneMessage);

    /// <summary>
    /// Reads a message from another node or this one. Returns null for anything malformed: not JSON, no node, an unknown
    /// kind, or an account change without an account. A legacy token message comes back as an account change.
    /// </summary>
    public static RedisBackplaneMessage? Parse(ReadOnlySpan<byte> payload)
    {
        RedisBackplaneMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(payload, RedisBackplaneJsonContext.Default.RedisBackplaneMessage);
        }
        catch (JsonException)
        {
            return null;
        }

        if (message is null || string.IsNullOrEmpty(message.Node) || message.Kind is null)
        {
            return null;
        }

        return message.Kind switch
        {
            AccountChanged when !string.IsNullOrEmpty(message.AccountId) => message,
            LegacyTokenChanged when !string.IsNullOrEmpty(message.AccountId) => message with { Kind = AccountChanged },
            ClearAll => message,
            Probe when !string.IsNullOrEmpty(message.ProbeId) => message,
            _ => null,
        };
    }
}
