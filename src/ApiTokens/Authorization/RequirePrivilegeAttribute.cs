using Microsoft.AspNetCore.Authorization;

namespace ApiTokens.Authorization;

/// <summary>
/// Requires an authenticated user holding <see cref="Privilege"/> (or <c>all</c>). Works on controllers,
/// actions and minimal API handlers.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class RequirePrivilegeAttribute : AuthorizeAttribute, IAuthorizationRequirementData
{
    /// <summary>Requires <paramref name="privilege"/>.</summary>
    public RequirePrivilegeAttribute(string privilege)
    {
        ArgumentException.ThrowIfNullOrEmpty(privilege);
        Privilege = privilege;
    }

    /// <summary>The privilege name.</summary>
    public string Privilege { get; }

    /// <inheritdoc />
    public IEnumerable<IAuthorizationRequirement> GetRequirements()
    {
        yield return new PrivilegeRequirement(Privilege);
    }
}
