namespace ApiTokens;

/// <summary>One heading of the catalogue and the privileges listed under it, in catalogue order.</summary>
/// <param name="Name">The group name, for example <c>Standard: DNS</c> or <c>Orders</c>.</param>
/// <param name="Privileges">The privileges in the group, in catalogue order.</param>
public sealed record PrivilegeGroup(string Name, IReadOnlyList<Privilege> Privileges);
