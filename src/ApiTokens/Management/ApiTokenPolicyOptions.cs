namespace ApiTokens;

/// <summary>
/// The token lifetime policy (configuration section <c>ApiTokens:Policy</c>). Nothing is set by default, so tokens follow WHM's
/// rules: any expiry, or none.
/// </summary>
public sealed class ApiTokenPolicyOptions
{
    /// <summary>The shortest <see cref="MaxLifetime"/> allowed: 1 hour.</summary>
    internal static readonly TimeSpan MinMaxLifetime = TimeSpan.FromHours(1);

    /// <summary>The longest <see cref="MaxLifetime"/> allowed: 10 years of 365 days.</summary>
    internal static readonly TimeSpan MaxMaxLifetime = TimeSpan.FromDays(3650);

    /// <summary>
    /// How long a token may live, counted from the moment its expiry is set (<c>ApiTokens:Policy:MaxLifetime</c>, a
    /// <see cref="TimeSpan"/> such as <c>30.00:00:00</c>; between 1 hour and 10 years). When set, every token created through
    /// <see cref="ApiTokenManager.CreateAsync"/> (WHM's <c>api_token_create</c>, the page, <c>tokens create</c>) expires within it:
    /// a create without an expiry gets now + this, and a later expiry is refused. An update that changes the expiry
    /// (<c>api_token_update</c> with <c>expires_at</c>) may set it at most this far from the time of the change, and may not make
    /// the token never expire. Tokens stored before the policy was set, and tokens imported from cPanel (<c>tokens import-whm</c>),
    /// keep their expiry until it is changed. <see langword="null"/> (the default): no limit, as WHM.
    /// </summary>
    public TimeSpan? MaxLifetime { get; set; }

    /// <summary>
    /// How many create calls one account may make per minute, wherever it makes them (WHM <c>api_token_create</c> and
    /// <c>api_token_rotate</c>, the page, the <c>tokens</c> command; <c>ApiTokens:Policy:MaxCreatesPerAccountPerMinute</c>), so
    /// one caller holding <c>manage-api-tokens</c> can keep neither the Argon2 workers nor the store busy. Every call counts,
    /// refused ones too (a taken name, a bad expiry), and the limit is checked before any store or account read. Default 30;
    /// 0 turns the limit off. A call over it is refused with <see cref="ApiTokenErrorCode.RateLimited"/> and changes nothing.
    /// </summary>
    public int MaxCreatesPerAccountPerMinute { get; set; } = 30;

    /// <summary>
    /// How long before its expiry a token's owner is warned (<c>ApiTokens:Policy:ExpiryWarning</c>, from 0 to 365 days). A
    /// background service raises the warning once per token and expiry, on one node: an <see cref="ApiTokenAuditAction.ExpiryWarning"/>
    /// audit event and every registered <see cref="IApiTokenExpiryWarningHandler"/> (to mail the owner, say); the page highlights
    /// such tokens. Default 7 days; 0 turns warnings off.
    /// </summary>
    public TimeSpan ExpiryWarning { get; set; } = TimeSpan.FromDays(7);

    internal IEnumerable<string> Validate()
    {
        if (ExpiryWarning < TimeSpan.Zero || ExpiryWarning > TimeSpan.FromDays(365))
        {
            yield return Messages.InvalidExpiryWarning;
        }

        if (MaxLifetime is { } max && (max < MinMaxLifetime || max > MaxMaxLifetime))
        {
            yield return Messages.InvalidMaxLifetime;
        }

        if (MaxCreatesPerAccountPerMinute is < 0 or > 100_000)
        {
            yield return Messages.InvalidMaxCreatesPerMinute;
        }
    }
}
