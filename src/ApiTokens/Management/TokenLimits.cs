using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>The limits a create or update sets, checked once: privileges against the catalogue and the owner, expiry, whitelist.</summary>
internal sealed class TokenLimits
{
    private readonly PrivilegeCatalog _catalog;
    private readonly int _maxWhitelistEntries;

    public TokenLimits(PrivilegeCatalog catalog, IOptions<ApiTokenOptions> options)
    {
        _catalog = catalog;
        _maxWhitelistEntries = options.Value.MaxWhitelistEntries;
    }

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
    /// the future, a valid whitelist. Returns them normalised; <see langword="null"/> where not given.
    /// </summary>
    public ApiTokenResult<(IReadOnlyList<string>? Acls, IReadOnlyList<string>? Whitelist)> Check(
        ApiTokenAccount owner, IReadOnlyCollection<string>? acls, DateTimeOffset? expiresAt, IReadOnlyCollection<string>? whitelist, DateTimeOffset now)
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
