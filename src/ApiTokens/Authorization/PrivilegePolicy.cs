namespace ApiTokens.Authorization;

/// <summary>The names of the per-privilege policies: <c>whm:&lt;privilege&gt;</c>, answered for every privilege in the catalogue.</summary>
public static class PrivilegePolicy
{
    /// <summary>The prefix of privilege policy names.</summary>
    public const string Prefix = "whm:";

    /// <summary>
    /// Reads the privilege out of a policy name: <see langword="true"/> for <c>whm:&lt;privilege&gt;</c> with a non-empty privilege
    /// (only the prefix is removed, so <c>whm:orders:write</c> names <c>orders:write</c>).
    /// </summary>
    public static bool TryGetPrivilege([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? policyName, out string privilege)
    {
        if (policyName is not null && policyName.Length > Prefix.Length && policyName.StartsWith(Prefix, StringComparison.Ordinal))
        {
            privilege = policyName[Prefix.Length..];
            return true;
        }

        privilege = string.Empty;
        return false;
    }

    /// <summary>The policy name for a privilege, for example <c>whm:list-accts</c>.</summary>
    public static string NameFor(string privilege)
    {
        ArgumentException.ThrowIfNullOrEmpty(privilege);
        return Prefix + privilege;
    }
}
