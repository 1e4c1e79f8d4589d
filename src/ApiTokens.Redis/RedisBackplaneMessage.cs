using System.Text.Json.Serialization;

namespace ApiTokens.Redis;

/// <summary>One change on the channel. Carries ids only: never a token, a hash or a user's secret.</summary>
internal sealed record RedisBackplaneMessage(
    [property: JsonPropertyName("n")] string Node,
    [property: JsonPropertyName("k")] string Kind,
    [property: JsonPropertyName("a")] string? AccountId = null,
    [property: JsonPropertyName("s")] string? Selector = null,
    [property: JsonPropertyName("p")] string? ProbeId = null)
{
    /// <summary>A token of the account changed or was revoked.</summary>
    public const string TokenChanged = "token";

    /// <summary>The account changed (suspended, renamed, privileges, deleted, all tokens revoked).</summary>
    public const string AccountChanged = "account";

    /// <summary>Drop every cached entry (changes were lost while Redis was down).</summary>
    public const string ClearAll = "clear";

    /// <summary>A node checking that its own subscription works; other nodes ignore it.</summary>
    public const string Probe = "probe";
}
