using System.Net;
using ApiTokens.Accounts;
using ApiTokens.Tokens;

namespace ApiTokens.Verification;

/// <summary>
/// A token whose secret has been proven, with everything a request needs precomputed: the owner's
/// state and the effective privileges. This is what the verify cache holds.
/// </summary>
public sealed class VerifiedToken
{
    internal VerifiedToken(
        ApiTokenAccount account, ApiToken token, byte[] secretDigest, long accountGeneration, long globalGeneration, long cachedAtTicks)
    {
        Account = account;
        Token = token;
        SecretDigest = secretDigest;
        AccountGeneration = accountGeneration;
        GlobalGeneration = globalGeneration;
        CachedAtTicks = cachedAtTicks;
        EffectivePrivileges = ComputeEffectivePrivileges(account, token);
        Whitelist = token.WhitelistIps is { Count: > 0 } list ? ParseWhitelist(list) : null;
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

    internal byte[] SecretDigest { get; }

    internal long AccountGeneration { get; }

    internal long GlobalGeneration { get; }

    internal long CachedAtTicks { get; }

    internal (IPAddress Network, int Prefix)[]? Whitelist { get; }

    /// <summary>Whether <paramref name="remote"/> may use this token.</summary>
    public bool AllowsAddress(IPAddress? remote)
    {
        if (Whitelist is null)
        {
            return true;
        }

        if (remote is null)
        {
            return false;
        }

        foreach (var (network, prefix) in Whitelist)
        {
            if (IpWhitelist.Contains(network, prefix, remote))
            {
                return true;
            }
        }

        return false;
    }

    internal static string[] ComputeEffectivePrivileges(ApiTokenAccount account, ApiToken token)
    {
        IEnumerable<string> privileges = token.Acls is null
            ? account.Privileges
            : account.HasRootAccess ? token.Acls : token.Acls.Where(account.Privileges.Contains);
        var result = privileges.Distinct(StringComparer.Ordinal).ToArray();
        Array.Sort(result, StringComparer.Ordinal);
        return result;
    }

    private static (IPAddress, int)[] ParseWhitelist(IReadOnlyList<string> list)
    {
        var parsed = new List<(IPAddress, int)>(list.Count);
        foreach (var entry in list)
        {
            if (IpWhitelist.TryParseEntry(entry, out var address, out var prefix))
            {
                parsed.Add((address, prefix));
            }
        }

        // A stored list that no longer parses denies everything rather than allowing everything.
        return parsed.ToArray();
    }
}
