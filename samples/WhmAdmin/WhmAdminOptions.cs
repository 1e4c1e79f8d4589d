namespace WhmAdmin;

/// <summary>Sign-in settings (configuration section <c>WhmAdmin</c>).</summary>
internal sealed class WhmAdminOptions
{
    /// <summary>The development default of <see cref="RootPassword"/>: fine on a laptop, never on a server.</summary>
    public const string DevRootPassword = "change-me-dev-only";

    /// <summary>root's password, hashed into the accounts table on first start (when root has none yet).</summary>
    public string RootPassword { get; set; } = DevRootPassword;

    /// <summary>The seeded reseller's password; <see langword="null"/> or empty (the default): the reseller cannot log in to the page.</summary>
    public string? ResellerPassword { get; set; }
}
