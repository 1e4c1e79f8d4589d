namespace ApiTokens;

/// <summary>
/// A stored API token. It never holds the plaintext secret: only a public <see cref="Selector"/>
/// that finds the record and an Argon2id <see cref="SecretHash"/> that proves the secret.
/// </summary>
public sealed record ApiToken
{
    /// <summary>The token's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>The stable id of the owning account.</summary>
    public required string AccountId { get; init; }

    /// <summary>The token's name, unique per account (case-sensitive).</summary>
    public required string Name { get; init; }

    /// <summary>The public lookup key: the first characters of the token. Unique per account.</summary>
    public required string Selector { get; init; }

    /// <summary>The Argon2id hash of the secret part, as a PHC string.</summary>
    public required string SecretHash { get; init; }

    /// <summary>When the token was created (UTC, whole seconds).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the token stops authenticating (UTC, whole seconds), or <see langword="null"/> for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>
    /// The privileges the token is limited to, de-duplicated and sorted; <see langword="null"/> means full access.
    /// </summary>
    public IReadOnlyList<string>? Acls { get; init; }

    /// <summary>The addresses and CIDR ranges the token may be used from, normalised; <see langword="null"/> means any.</summary>
    public IReadOnlyList<string>? WhitelistIps { get; init; }

    /// <summary>
    /// When the token last authenticated a request (UTC, whole seconds), or <see langword="null"/> if it never has (or usage
    /// tracking is off). Written in the background at most once per <c>ApiTokens:Usage:WriteInterval</c>, so it may lag by that
    /// much; on many nodes the latest time wins. <see cref="IApiTokenStore.UpdateAsync"/> never changes it.
    /// </summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>The address that request came from, as the server saw it, or <see langword="null"/>.</summary>
    public string? LastUsedIp { get; init; }

    /// <summary>
    /// The selector of the value this token had before its last rotation, while that value is in its grace period
    /// (<see cref="PreviousSecretExpiresAt"/>); <see langword="null"/> when there is none. <see cref="IApiTokenStore.FindBySelectorAsync"/>
    /// finds the token by it too, and the store keeps it unique per account like <see cref="Selector"/>.
    /// </summary>
    public string? PreviousSelector { get; init; }

    /// <summary>The Argon2id hash of the previous value's secret (a PHC string), or <see langword="null"/>.</summary>
    public string? PreviousSecretHash { get; init; }

    /// <summary>
    /// When the previous value stops authenticating (UTC, whole seconds): the end of the grace period given when the token was
    /// rotated; <see langword="null"/> when there is no previous value. From then on the previous value is refused like a revoked
    /// token, even while the columns are still set.
    /// </summary>
    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }

    /// <summary>
    /// The expiry an expiry warning was raised for (UTC, whole seconds), or <see langword="null"/>. Set only by
    /// <see cref="IApiTokenStore.TryMarkExpiryWarnedAsync"/>, so a warning is raised once per token and expiry; a token whose
    /// <see cref="ExpiresAt"/> is changed afterwards is warned again before its new expiry. <see cref="IApiTokenStore.UpdateAsync"/>
    /// never changes it.
    /// </summary>
    public DateTimeOffset? ExpiryWarnedFor { get; init; }

    /// <summary>A value that changes on every update, for optimistic concurrency.</summary>
    public required string ConcurrencyStamp { get; init; }

    /// <summary>
    /// Whether the token has full access: no ACL list, or a list that holds <c>all</c> (WHM's <c>has_full_access</c>). A full-access
    /// token holds whatever its owner holds at each request.
    /// </summary>
    /// <remarks>Printing a token (<c>ToString</c>) never shows its hash.</remarks>
    public bool HasFullAccess => Acls is null || Acls.Contains(WhmPrivileges.All, StringComparer.Ordinal);

    /// <summary>Whether the previous value (see <see cref="PreviousSelector"/>) still authenticates at <paramref name="now"/>.</summary>
    public bool IsPreviousValueLiveAt(DateTimeOffset now) =>
        PreviousSelector is not null && PreviousSecretHash is not null && PreviousSecretExpiresAt is { } e && now < e;

    /// <summary>Whether the token has expired at <paramref name="now"/>: WHM's rule is <c>expires_at &lt; now</c>.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } e && e < now;

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id).Append(", AccountId = ").Append(AccountId).Append(", Name = ").Append(Name)
            .Append(", Selector = ").Append(Selector).Append(", SecretHash = ***, CreatedAt = ").Append(CreatedAt.ToUnixTimeSeconds())
            .Append(", ExpiresAt = ").Append(ExpiresAt?.ToUnixTimeSeconds())
            .Append(", Acls = ").Append(Acls is null ? "(full access)" : string.Join(" ", Acls))
            .Append(", WhitelistIps = ").Append(WhitelistIps is null ? "(any)" : string.Join(" ", WhitelistIps))
            .Append(", LastUsedAt = ").Append(LastUsedAt?.ToUnixTimeSeconds()).Append(", LastUsedIp = ").Append(LastUsedIp)
            .Append(", PreviousSelector = ").Append(PreviousSelector).Append(", PreviousSecretHash = ").Append(PreviousSecretHash is null ? null : "***")
            .Append(", PreviousSecretExpiresAt = ").Append(PreviousSecretExpiresAt?.ToUnixTimeSeconds())
            .Append(", ExpiryWarnedFor = ").Append(ExpiryWarnedFor?.ToUnixTimeSeconds());
        return true;
    }
}
