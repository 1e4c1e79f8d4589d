namespace ApiTokens.Authorization;

/// <summary>The names of the per-privilege policies: <c>whm:&lt;privilege&gt;</c>, answered for every privilege in the catalogue.</summary>
public static class PrivilegePolicy
{
    /// <summary>The prefix of privilege policy names.</summary>
    public const string Prefix = "whm:";

    /// <summary>The policy name for a privilege, for example <c>whm:list-accts</c>.</summary>
    public static string NameFor(string privilege)
    {
        ArgumentException.ThrowIfNullOrEmpty(privilege);
        return Prefix + privilege;
    }
}
