namespace ApiTokens;

/// <summary>
/// One privilege a token can be limited to: a WHM ACL name such as <c>list-accts</c>, or one of the host's own such as
/// <c>orders.read</c> (see <see cref="ApiTokenOptions.Privileges"/> for the name rule).
/// </summary>
/// <param name="Name">
/// The name endpoints require and tokens hold, compared exactly (ordinal, case-sensitive), for example <c>list-accts</c> or
/// <c>orders:write</c>.
/// </param>
/// <param name="Group">The heading it is listed under, for example <c>Standard: account information</c> or <c>Orders</c>.</param>
/// <param name="Description">A short human description, shown next to the name.</param>
/// <param name="Escalates">
/// <see langword="true"/> when a token holding this privilege can escape its own limits (in WHM's chart: <c>passwd</c>,
/// <c>create-user-session</c>, <c>manage-api-tokens</c>, <c>cpanel-api</c>); the page shows a warning beside it.
/// </param>
public sealed record Privilege(string Name, string Group, string Description, bool Escalates = false)
{
    /// <summary>
    /// Creates an empty privilege whose properties an object initializer or the configuration binder sets
    /// (<c>ApiTokens:Privileges:0:Name</c>, <c>…:Group</c>, <c>…:Description</c>, <c>…:Escalates</c>).
    /// </summary>
    public Privilege()
        : this(string.Empty, string.Empty, string.Empty)
    {
    }
}
