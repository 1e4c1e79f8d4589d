using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// The limits a create or update sets, checked once: privileges against the catalogue and the owner, expiry (and the lifetime
/// policy, <c>ApiTokens:Policy:MaxLifetime</c>), whitelist.
/// </summary>
internal sealed class TokenLimits : IDisposable
{
    private readonly PrivilegeCatalog _catalog;
    private readonly int _maxWhitelistEntries;
    private readonly TimeSpan? _maxLifetime;

    private readonly PartitionedRateLimiter<string>? _creates;

    public TokenLimits(PrivilegeCatalog catalog, IOptions<ApiTokenOptions> options)
    {
        _catalog = catalog;
        _maxWhitelistEntries = options.Value.MaxWhitelistEntries;
        _maxLifetime = options.Value.Policy.MaxLifetime;
        MaxCreatesPerMinute = options.Value.Policy.MaxCreatesPerAccountPerMinute;
        _creates = MaxCreatesPerMinute <= 0 ? null : PartitionedRateLimiter.Create<string, string>(accountId =>
            RateLimitPartition.GetFixedWindowLimiter(accountId, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = MaxCreatesPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public void Dispose() => _creates?.Dispose();

    /// <summary><c>ApiTokens:Policy:MaxCreatesPerAccountPerMinute</c>; 0 means no limit.</summary>
    public int MaxCreatesPerMinute { get; }

    /// <summary>
    /// Takes one of the account's creates for this minute (<c>ApiTokens:Policy:MaxCreatesPerAccountPerMinute</c>), so one caller
    /// cannot keep every Argon2 slot busy with creates; <see langword="false"/> when none is left.
    /// </summary>
    public bool TryStartCreate(string accountId)
    {
        if (_creates is null)
        {
            return true;
        }

        using var lease = _creates.AttemptAcquire(accountId);
        return lease.IsAcquired;
    }

    /// <summary>
    /// The expiry a new token gets when its create names none: now + <c>ApiTokens:Policy:MaxLifetime</c> in whole seconds, or
    /// <see langword="null"/> (never) when no lifetime is set.
    /// </summary>
    public DateTimeOffset? DefaultExpiry(DateTimeOffset now) => _maxLifetime is { } max ? Latest(now, max) : null;

    /// <summary>
    /// Checks an expiry being set against <c>ApiTokens:Policy:MaxLifetime</c>, counted from <paramref name="now"/> (the time of
    /// the change, as GitLab counts its maximum allowable lifetime): later is refused, and so is <paramref name="neverExpires"/>
    /// (an update clearing the expiry). <see langword="null"/> when allowed, or when no lifetime is set.
    /// </summary>
    private ApiTokenError? CheckLifetime(DateTimeOffset? expiresAt, bool neverExpires, DateTimeOffset now)
    {
        if (_maxLifetime is not { } max)
        {
            return null;
        }

        var latest = Latest(now, max);
        if (neverExpires)
        {
            return ApiTokenErrors.NeverExpiringRefused(max, latest);
        }

        return UnixTime.Truncate(expiresAt) > latest ? ApiTokenErrors.ExpiryBeyondMaxLifetime(max, latest) : null;
    }

    private static DateTimeOffset Latest(DateTimeOffset now, TimeSpan max) => UnixTime.Truncate(now + max)!.Value;

    /// <summary>
    /// Checks a privilege list against the catalogue and the owner: every name known and held by the
    /// owner (or the owner holds <c>all</c>). Returns it de-duplicated and sorted.
    /// </summary>
    public ApiTokenResult<IReadOnlyList<string>> ValidateAcls(ApiTokenAccount owner, IEnumerable<string> acls)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(acls);
        var distinct = acls.Select(a => a?.Trim() ?? string.Empty).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
        {
            return ApiTokenErrors.NoPrivileges;
        }

        var bad = distinct.Where(a => !_catalog.Contains(a) || !owner.Holds(a)).ToList();
        if (bad.Count > 0)
        {
            return ApiTokenErrors.UnauthorizedPrivileges(bad);
        }

        distinct.Sort(StringComparer.Ordinal);
        return ApiTokenResult<IReadOnlyList<string>>.Success(distinct);
    }

    /// <summary>
    /// Checks the limits a create or update sets: privileges (known, held by the owner, at least one), an expiry in
    /// the future and within the lifetime policy (<paramref name="neverExpires"/>: an update clearing the expiry), a valid
    /// whitelist. Returns them normalised; <see langword="null"/> where not given.
    /// </summary>
    public ApiTokenResult<(IReadOnlyList<string>? Acls, IReadOnlyList<string>? Whitelist)> Check(
        ApiTokenAccount owner,
        IReadOnlyCollection<string>? acls,
        DateTimeOffset? expiresAt,
        IReadOnlyCollection<string>? whitelist,
        DateTimeOffset now,
        bool neverExpires = false)
    {
        IReadOnlyList<string>? checkedAcls = null;
        if (acls is not null)
        {
            var result = ValidateAcls(owner, acls);
            if (!result.Succeeded)
            {
                return result.Error;
            }

            checkedAcls = result.Value;
        }

        if (expiresAt is { } e && e <= now)
        {
            return ApiTokenErrors.ExpiryNotInFuture;
        }

        if (CheckLifetime(expiresAt, neverExpires, now) is { } lifetimeError)
        {
            return lifetimeError;
        }

        IReadOnlyList<string>? checkedWhitelist = null;
        if (whitelist is not null)
        {
            var result = IpWhitelist.Normalize(whitelist, _maxWhitelistEntries);
            if (!result.Succeeded)
            {
                return result switch
                {
                    { TooManyEntries: true } => ApiTokenErrors.TooManyWhitelistEntries(_maxWhitelistEntries),
                    { MaskedRange: { } range } => new ApiTokenError(
                        ApiTokenErrorCode.InvalidWhitelist, Messages.WhitelistHostBits(result.InvalidEntry ?? string.Empty, range), "whitelist_ips"),
                    _ => ApiTokenErrors.InvalidWhitelistEntry(result.InvalidEntry ?? string.Empty),
                };
            }

            checkedWhitelist = result.Entries;
        }

        return ApiTokenResult<(IReadOnlyList<string>?, IReadOnlyList<string>?)>.Success((checkedAcls, checkedWhitelist));
    }
}
