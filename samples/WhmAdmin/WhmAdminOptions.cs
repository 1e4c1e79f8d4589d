namespace WhmAdmin;

/// <summary>Sign-in and account-function settings (configuration section <c>WhmAdmin</c>).</summary>
internal sealed class WhmAdminOptions
{
    /// <summary>The development default of <see cref="RootPassword"/>: fine on a laptop, never on a server.</summary>
    public const string DevRootPassword = "change-me-dev-only";

    /// <summary>The default of <see cref="Version"/>: a cPanel &amp; WHM build string.</summary>
    public const string DefaultVersion = "11.126.0.5";

    /// <summary>root's password, hashed into the accounts table on first start (when root has none yet).</summary>
    public string RootPassword { get; set; } = DevRootPassword;

    /// <summary>The seeded reseller's password; <see langword="null"/> or empty (the default): the reseller cannot log in to the page.</summary>
    public string? ResellerPassword { get; set; }

    /// <summary>
    /// What <c>version</c> answers: a cPanel build string (<c>11.126.0.5</c>, four dot-separated numbers), which WHM clients parse
    /// to choose how to call the server.
    /// </summary>
    public string Version { get; set; } = DefaultVersion;

    /// <summary>The address <c>listaccts</c> gives as every account's <c>ip</c> (the sample has no dedicated addresses).</summary>
    public string SharedIp { get; set; } = "127.0.0.1";

    /// <summary>How long the regular-expression matches of one <c>listaccts</c> call may run, all accounts together, before the call is refused (result 0).</summary>
    public TimeSpan SearchTimeout { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Failed logins allowed per user name (existing or not) within <see cref="LoginFailureWindow"/>; then that name is refused until the window ends.</summary>
    public int LoginMaxFailures { get; set; } = 10;

    /// <summary>Failed logins allowed per client address within <see cref="LoginFailureWindow"/>, whatever the user names.</summary>
    public int LoginMaxFailuresPerAddress { get; set; } = 50;

    /// <summary>The window of the login limits: a block lasts at most this long.</summary>
    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Whether <see cref="Version"/> reads as a cPanel build string (1 to 4 dot-separated numbers).</summary>
    public static bool IsValidVersion(string? version)
    {
        var parts = (version ?? string.Empty).Split('.');
        return parts.Length is >= 1 and <= 4 && parts.All(p => p.Length is >= 1 and <= 9 && p.All(char.IsAsciiDigit));
    }
}
