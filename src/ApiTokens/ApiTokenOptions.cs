
namespace ApiTokens;

/// <summary>Options for the token core (<c>ApiTokens</c> in configuration): the token format, hashing, the verify cache and the privilege catalogue.</summary>
public sealed partial class ApiTokenOptions
{
    /// <summary>The token format (default: cPanel's 32 characters of <c>[0-9A-Z]</c>).</summary>
    public ApiTokenFormatOptions Format { get; set; } = new();

    /// <summary>Argon2id parameters.</summary>
    public Argon2HashingOptions Hashing { get; set; } = new();

    /// <summary>The verify cache (<c>ApiTokens:Cache</c>).</summary>
    public ApiTokenCacheOptions Cache { get; set; } = new();

    /// <summary>Limits on Argon2 work (<c>ApiTokens:Verification</c>).</summary>
    public ApiTokenVerificationOptions Verification { get; set; } = new();

    /// <summary>
    /// The host's own privilege vocabulary (<c>ApiTokens:Privileges</c>: a list of <c>Name</c>, <c>Group</c>, <c>Description</c>,
    /// <c>Escalates</c>). Empty (the default): WHM's ACL chart, <see cref="WhmPrivileges.Catalogue"/>. Any entry replaces that
    /// chart with these privileges, in this order, so the page and the WHM calls offer only them. <c>all</c> (root access) is in
    /// every catalogue and cannot be redefined; <c>manage-api-tokens</c> still lets an account manage its tokens.
    /// </summary>
    /// <remarks>
    /// Names follow <see cref="PrivilegeNames"/> (for example <c>orders.read</c>, <c>orders:write</c>, <c>Orders.Read</c>) and are
    /// compared exactly. An invalid or repeated name stops start-up with a message that names it. A privilege without a group is
    /// listed under <c>General</c>.
    /// </remarks>
    public IList<Privilege> Privileges { get; } = [];

    /// <summary>
    /// Privileges added after the catalogue's own (<see cref="Privileges"/>, or WHM's chart while that is empty), for example an
    /// app that keeps WHM's ACLs and adds <c>billing-read</c> (<c>ApiTokens:AdditionalPrivileges</c>). Same rules as <see cref="Privileges"/>.
    /// </summary>
    public IList<Privilege> AdditionalPrivileges { get; } = [];

    /// <summary>At most this many whitelist entries per token. Default 100, as WHM.</summary>
    public int MaxWhitelistEntries { get; set; } = 100;

    /// <summary>
    /// How often this node asks the store again whether it holds tokens imported from cPanel (<c>tokens import-whm</c>,
    /// <c>tokens convert-accesshash</c>; <c>ApiTokens:LegacyTokenRefreshInterval</c>). Only while it does are such tokens looked up
    /// and headers longer than <c>WhmTokenOptions.MaxHeaderLength</c> read. An import is seen at once on the node that ran it and,
    /// with a backplane, at the next request on every node; otherwise within this interval. Default 1 minute.
    /// </summary>
    public TimeSpan LegacyTokenRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);
}
