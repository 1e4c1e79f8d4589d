using Microsoft.AspNetCore.Authorization;

namespace ApiTokens.Authorization;

/// <summary>
/// Requires an authenticated user holding <see cref="Privilege"/> (or <c>all</c>). Works on controllers,
/// actions and minimal API handlers.
/// </summary>
/// <remarks>
/// An <c>[Authorize(Policy = "whm:&lt;privilege&gt;")]</c>: the named policy (from <see cref="PrivilegePolicyProvider"/>)
/// holds the privilege requirement alone. Naming a policy keeps the host's default and fallback policies out of it,
/// so a host whose default policy is bound to its cookie scheme still lets whm tokens through here.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class RequirePrivilegeAttribute : AuthorizeAttribute
{
    /// <summary>Requires <paramref name="privilege"/>.</summary>
    public RequirePrivilegeAttribute(string privilege)
    {
        ArgumentException.ThrowIfNullOrEmpty(privilege);
        Privilege = privilege;
        Policy = PrivilegePolicy.NameFor(privilege);
    }

    /// <summary>The privilege name.</summary>
    public string Privilege { get; }
}
