namespace ApiTokens;

/// <summary>
/// One privilege (a WHM access-control-list name) that a token can be limited to.
/// </summary>
/// <param name="Name">The ACL name, for example <c>list-accts</c>.</param>
/// <param name="Group">The group WHM lists it under, for example <c>Standard: account information</c>.</param>
/// <param name="Description">A short human description.</param>
/// <param name="Escalates">
/// <see langword="true"/> when a token holding this privilege can escape its own limits
/// (<c>passwd</c>, <c>create-user-session</c>, <c>manage-api-tokens</c>, <c>cpanel-api</c>).
/// </param>
public sealed record Privilege(string Name, string Group, string Description, bool Escalates = false);
