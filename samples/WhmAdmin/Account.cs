namespace WhmAdmin;

/// <summary>An account row of the sample (root or reseller): the sample's own user table.</summary>
internal sealed class Account
{
    public required string Id { get; set; }

    public required string UserName { get; set; }

    /// <summary>The id of the account that created this one; <see langword="null"/> for root.</summary>
    public string? OwnerId { get; set; }

    public bool IsSuspended { get; set; }

    /// <summary>Why the account is suspended (suspendacct's <c>reason</c>); <see langword="null"/> when none was given or it is active.</summary>
    public string? SuspendReason { get; set; }

    /// <summary>When it was suspended; <see langword="null"/> while it is active.</summary>
    public DateTimeOffset? SuspendedAt { get; set; }

    /// <summary>The account's main domain, lower case (createacct's <c>domain</c>); <see langword="null"/> for the seeded accounts.</summary>
    public string? Domain { get; set; }

    /// <summary>The contact address (createacct's <c>contactemail</c>), listed as <c>email</c>.</summary>
    public string? ContactEmail { get; set; }

    /// <summary>The hosting plan (package) name, listed as <c>plan</c>; createacct stores <c>default</c> when none is given, as WHM does.</summary>
    public string? Plan { get; set; }

    /// <summary>Privilege names, space-separated, sorted.</summary>
    public string Privileges { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The sign-in password as an ASP.NET Core Identity hash; <see langword="null"/>: this account cannot log in to the page.</summary>
    public string? PasswordHash { get; set; }

    public IReadOnlyList<string> PrivilegeList => Privileges.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static string JoinPrivileges(IEnumerable<string> privileges) =>
        string.Join(' ', privileges.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
}
