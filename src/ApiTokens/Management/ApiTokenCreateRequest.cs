namespace ApiTokens;

/// <summary>What to create.</summary>
public sealed record ApiTokenCreateRequest
{
    /// <summary>The name: up to 50 of <c>[A-Za-z0-9_-]</c>, unique for the account.</summary>
    public required string Name { get; init; }

    /// <summary>The privileges; <see langword="null"/> for full access. An empty list is refused.</summary>
    public IReadOnlyCollection<string>? Acls { get; init; }

    /// <summary>
    /// When the token stops working; <see langword="null"/> for never. Must be in the future. Under
    /// <c>ApiTokens:Policy:MaxLifetime</c> it must be within that lifetime from now, and <see langword="null"/> gets the latest it allows.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Addresses or CIDR ranges it may be used from; <see langword="null"/> or empty for any.</summary>
    public IReadOnlyCollection<string>? WhitelistIps { get; init; }
}
