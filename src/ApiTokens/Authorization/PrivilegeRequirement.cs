using Microsoft.AspNetCore.Authorization;

namespace ApiTokens.Authorization;

/// <summary>Requires the user to hold a privilege (or <c>all</c>).</summary>
public sealed class PrivilegeRequirement : IAuthorizationRequirement
{
    /// <summary>Creates the requirement.</summary>
    public PrivilegeRequirement(string privilege)
    {
        ArgumentException.ThrowIfNullOrEmpty(privilege);
        Privilege = privilege;
    }

    /// <summary>The privilege name.</summary>
    public string Privilege { get; }

    /// <inheritdoc />
    public override string ToString() => $"Requires the privilege '{Privilege}' (or 'all').";
}
