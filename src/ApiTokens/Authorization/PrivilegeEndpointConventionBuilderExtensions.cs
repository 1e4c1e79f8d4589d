using ApiTokens.Authorization;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Protects endpoints with privileges.</summary>
public static class PrivilegeEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Requires an authenticated user holding each of <paramref name="privileges"/> (or <c>all</c>):
    /// <c>app.MapGet("/json-api/listaccts", ...).RequirePrivilege("list-accts")</c>. A whm token holds its effective
    /// privileges; a user signed in by the host's own scheme holds their account's current privileges
    /// (<see cref="ApiTokens.Authorization.PrivilegeAuthorizationOptions"/> maps the principal to the account).
    /// </summary>
    public static TBuilder RequirePrivilege<TBuilder>(this TBuilder builder, params string[] privileges)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(privileges);
        if (privileges.Length == 0)
        {
            throw new ArgumentException(ApiTokens.Messages.NoPrivilegeNamed, nameof(privileges));
        }

        return builder.RequireAuthorization(privileges.Select(p => new RequirePrivilegeAttribute(p)).ToArray());
    }
}
