
namespace ApiTokens;

/// <summary>
/// The current state of an account (root or reseller) that owns API tokens, as the host app sees it.
/// </summary>
public sealed class ApiTokenAccount
{
    /// <summary>Creates an account snapshot.</summary>
    /// <param name="id">The account's stable id. Tokens are keyed by it, never by the user name.</param>
    /// <param name="userName">The account's current user name.</param>
    /// <param name="isSuspended">Whether the account is suspended.</param>
    /// <param name="privileges">The privileges it holds now; <c>all</c> means root access.</param>
    public ApiTokenAccount(string id, string userName, bool isSuspended, IEnumerable<string> privileges)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentNullException.ThrowIfNull(privileges);
        Id = id;
        UserName = userName;
        IsSuspended = isSuspended;
        Privileges = privileges as IReadOnlySet<string> ?? new HashSet<string>(privileges, StringComparer.Ordinal);
    }

    /// <summary>The stable id.</summary>
    public string Id { get; }

    /// <summary>The current user name.</summary>
    public string UserName { get; }

    /// <summary>Whether the account is suspended. A suspended account's tokens do not authenticate.</summary>
    public bool IsSuspended { get; }

    /// <summary>The privileges the account holds now.</summary>
    public IReadOnlySet<string> Privileges { get; }

    /// <summary>Whether the account holds <c>all</c> (root access).</summary>
    public bool HasRootAccess => Privileges.Contains(WhmPrivileges.All);

    /// <summary>Whether the account holds <paramref name="privilege"/> (directly or through <c>all</c>).</summary>
    public bool Holds(string privilege) => HasRootAccess || Privileges.Contains(privilege);
}
