namespace ApiTokens;

/// <summary>What to change. Omitted (<see langword="null"/>) fields stay as they are.</summary>
public sealed record ApiTokenUpdateRequest
{
    /// <summary>A new name.</summary>
    public string? NewName { get; init; }

    /// <summary>A new privilege list (an empty list is refused).</summary>
    public IReadOnlyCollection<string>? Acls { get; init; }

    /// <summary>Make the token full-access (drop its privilege list). Cannot be combined with <see cref="Acls"/>.</summary>
    public bool GrantFullAccess { get; init; }

    /// <summary>A new expiry (must be in the future, and within <c>ApiTokens:Policy:MaxLifetime</c> from now when that is set).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Remove the expiry: the token never expires. Refused while <c>ApiTokens:Policy:MaxLifetime</c> is set.</summary>
    public bool ClearExpiry { get; init; }

    /// <summary>A new whitelist; an empty list means any address.</summary>
    public IReadOnlyCollection<string>? WhitelistIps { get; init; }

    /// <summary>Whether the request changes anything at all.</summary>
    public bool HasChanges =>
        NewName is not null || Acls is not null || GrantFullAccess || ExpiresAt is not null || ClearExpiry || WhitelistIps is not null;
}
