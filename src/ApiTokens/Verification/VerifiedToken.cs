using System.Net;
using System.Security.Claims;
using ApiTokens.Authentication;

namespace ApiTokens;

/// <summary>
/// A token whose secret has been proven, with everything a request needs precomputed: the owner's
/// state and the effective privileges. This is what the verify cache holds. For a rotated token's previous value (proven
/// during its grace period) it also holds when that value stops, which every request checks, cached or not.
/// </summary>
public sealed class VerifiedToken
{
    internal VerifiedToken(
        ApiTokenAccount account,
        ApiToken token,
        byte[] secretDigest,
        long accountGeneration,
        long globalGeneration,
        long cachedAtTicks,
        bool previousValue = false)
    {
        Account = account;
        Token = token;
        SecretDigest = secretDigest;
        AccountGeneration = accountGeneration;
        GlobalGeneration = globalGeneration;
        CachedAtTicks = cachedAtTicks;
        EffectivePrivileges = ComputeEffectivePrivileges(account, token);
        Claims = CreateClaims(account, token, EffectivePrivileges, previousValue);
        Whitelist = token.WhitelistIps is { Count: > 0 } list ? IpWhitelist.Parse(list) : null;
        IsPreviousValue = previousValue;
        UsableUntilTicks = previousValue
            ? token.PreviousSecretExpiresAt?.UtcTicks ?? throw new ArgumentException("The token has no previous value.", nameof(token))
            : long.MaxValue;

        // The credential presented stops at the token's expiry or, for a previous value, at the end of its grace period if sooner.
        var stopsAt = previousValue && (token.ExpiresAt is null || token.PreviousSecretExpiresAt < token.ExpiresAt)
            ? token.PreviousSecretExpiresAt
            : token.ExpiresAt;
        ExpirationHeaderValue = stopsAt is { } expiresAt ? Microsoft.Net.Http.Headers.HeaderUtilities.FormatDate(expiresAt) : null;
    }

    /// <summary>The owning account as it was when verified.</summary>
    public ApiTokenAccount Account { get; }

    /// <summary>The stored token.</summary>
    public ApiToken Token { get; }

    /// <summary>
    /// The privileges a request made with this token has: for a full-access token the owner's current
    /// privileges; for a limited token of an owner with <c>all</c> the token's list; otherwise the token's
    /// list intersected with the owner's current privileges. Sorted.
    /// </summary>
    public IReadOnlyList<string> EffectivePrivileges { get; }

    /// <summary>The token's expiry as an HTTP date for the <c>ApiToken-Expiration</c> header, formatted once; null when it never expires.</summary>
    internal string? ExpirationHeaderValue { get; }

    /// <summary>The claims of a principal for this token, built once (the identity copies them per request).</summary>
    internal Claim[] Claims { get; }

    internal byte[] SecretDigest { get; }

    internal long AccountGeneration { get; }

    internal long GlobalGeneration { get; }

    internal long CachedAtTicks { get; }

    /// <summary>Whether this entry proves the token's previous value (a rotation's grace period), not its current one.</summary>
    internal bool IsPreviousValue { get; }

    /// <summary>
    /// The first instant (UTC ticks) the proven value no longer authenticates: the end of the grace period for a previous value,
    /// <see cref="long.MaxValue"/> for the current one (whose expiry is checked on its own).
    /// </summary>
    internal long UsableUntilTicks { get; }

    /// <summary>The selector of the value this entry proves: its wrong-secret window is this selector's.</summary>
    internal string ProvenSelector => IsPreviousValue ? Token.PreviousSelector! : Token.Selector;

    /// <summary>The stored hash the value was proven against.</summary>
    internal string ProvenHash => IsPreviousValue ? Token.PreviousSecretHash! : Token.SecretHash;

    internal IPNetwork[]? Whitelist { get; }

    /// <summary>Whether <paramref name="remote"/> may use this token.</summary>
    public bool AllowsAddress(IPAddress? remote) => IpWhitelist.Matches(Whitelist, remote);

    internal static string[] ComputeEffectivePrivileges(ApiTokenAccount account, ApiToken token)
    {
        IEnumerable<string> privileges = token.HasFullAccess || token.Acls is null
            ? account.Privileges
            : account.HasRootAccess ? token.Acls : token.Acls.Where(account.Privileges.Contains);
        var result = privileges.Distinct(StringComparer.Ordinal).ToArray();
        Array.Sort(result, StringComparer.Ordinal);
        return result;
    }

    private static Claim[] CreateClaims(ApiTokenAccount account, ApiToken token, IReadOnlyList<string> privileges, bool previousValue)
    {
        var claims = new Claim[4 + privileges.Count + (previousValue ? 1 : 0)];
        claims[0] = new Claim(ClaimTypes.Name, account.UserName);
        claims[1] = new Claim(ClaimTypes.NameIdentifier, account.Id);
        claims[2] = new Claim(WhmClaimTypes.TokenName, token.Name);
        claims[3] = new Claim(WhmClaimTypes.FullAccess, token.HasFullAccess ? "true" : "false", ClaimValueTypes.Boolean);
        for (var i = 0; i < privileges.Count; i++)
        {
            claims[4 + i] = new Claim(WhmClaimTypes.Privilege, privileges[i]);
        }

        if (previousValue)
        {
            claims[^1] = new Claim(WhmClaimTypes.PreviousValue, "true", ClaimValueTypes.Boolean);
        }

        return claims;
    }
}
