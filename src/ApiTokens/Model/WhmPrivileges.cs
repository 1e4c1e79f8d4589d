namespace ApiTokens;

/// <summary>
/// The WHM ACL reference chart: every privilege name WHM knows, grouped as WHM groups them.
/// </summary>
public static class WhmPrivileges
{
    /// <summary>Root access: satisfies every privilege check.</summary>
    public const string All = "all";

    /// <summary>
    /// The privilege that lets a caller manage its own API tokens (the WHM calls and the page), also with a host's own
    /// catalogue: an account needs it (or <c>all</c>) there.
    /// </summary>
    public const string ManageApiTokens = "manage-api-tokens";

    /// <summary>Group name: initial reseller privileges.</summary>
    public const string BasicGroup = "Basic";

    /// <summary>The warning shown beside privileges that let a token escape its limits.</summary>
    public const string EscalationWarning =
        "A token with this privilege can bypass the restrictions you set on the token.";

    /// <summary>Group name: root access (<c>all</c>).</summary>
    public const string RootGroup = "Root access";

    /// <summary>Root access, in every catalogue: WHM's chart and a host's own.</summary>
    internal static readonly Privilege Root = new(All, RootGroup, "Everything: root access. Satisfies every privilege check.");

    /// <summary>
    /// WHM's ACL reference chart, in WHM's order: the default catalogue. A host that sets
    /// <see cref="ApiTokenOptions.Privileges"/> replaces it (every catalogue keeps <see cref="All"/>).
    /// </summary>
    public static IReadOnlyList<Privilege> Catalogue { get; } =
    [
        // Basic (initial reseller privileges)
        new("acct-summary", BasicGroup, "View account summaries."),
        new("basic-system-info", BasicGroup, "View basic system information."),
        new("basic-whm-functions", BasicGroup, "Use basic WHM functions, such as the version call."),
        new("connected-applications", BasicGroup, "Manage connected applications."),
        new("cors-proxy-get", BasicGroup, "Make proxied GET requests."),
        new("cpanel-api", BasicGroup, "Run cPanel API calls through WHM.", Escalates: true),
        new("cpanel-integration", BasicGroup, "Manage cPanel integration links."),
        new("create-user-session", BasicGroup, "Create a user session with the owner's full rights.", Escalates: true),
        new("digest-auth", BasicGroup, "Manage Digest authentication."),
        new("generate-email-config", BasicGroup, "Generate email client configuration."),
        new("list-pkgs", BasicGroup, "List packages."),
        new(ManageApiTokens, BasicGroup, "Manage API tokens (can create a full-access token).", Escalates: true),
        new("manage-dns-records", BasicGroup, "Manage DNS records."),
        new("manage-oidc", BasicGroup, "Manage OpenID Connect providers."),
        new("manage-styles", BasicGroup, "Manage interface styles."),
        new("mysql-info", BasicGroup, "View MySQL information."),
        new("ns-config", BasicGroup, "Configure nameservers."),
        new("public-contact", BasicGroup, "Set public contact information."),
        new("ssl-info", BasicGroup, "View SSL information."),
        new("track-email", BasicGroup, "Track email delivery."),

        // Standard privileges
        new("list-accts", "Standard: account information", "List accounts."),
        new("show-bandwidth", "Standard: account information", "View bandwidth usage."),
        new("create-acct", "Standard: account management", "Create accounts."),
        new("kill-acct", "Standard: account management", "Terminate accounts."),
        new("suspend-acct", "Standard: account management", "Suspend and unsuspend accounts."),
        new("upgrade-account", "Standard: account management", "Upgrade and downgrade accounts."),
        new("ssl", "Standard: account management", "Manage SSL certificates."),
        new("ssl-buy", "Standard: account management", "Purchase SSL certificates."),
        new("ssl-gencrt", "Standard: account management", "Generate SSL certificates and signing requests."),
        new("edit-mx", "Standard: account management", "Edit MX entries."),
        new("passwd", "Standard: account management", "Change account passwords (and log in with the new one).", Escalates: true),
        new("file-restore", "Standard: account management", "Restore files from backups."),
        new("create-dns", "Standard: DNS", "Add DNS zones."),
        new("kill-dns", "Standard: DNS", "Remove DNS zones."),
        new("park-dns", "Standard: DNS", "Park domains."),
        new("edit-dns", "Standard: DNS", "Edit DNS zones."),
        new("add-pkg", "Standard: packages", "Add packages."),
        new("edit-pkg", "Standard: packages", "Edit packages."),
        new("thirdparty", "Standard: other", "Manage third-party services."),
        new("mailcheck", "Standard: other", "Troubleshoot mail delivery."),
        new("news", "Standard: other", "Manage news for resold accounts."),
        new("assign-root-account-enhancements", "Standard: other", "Assign root account enhancements."),

        // Package privileges
        new("allow-shell", "Package", "Create accounts with shell access."),
        new("viewglobalpackages", "Package", "View and use root's packages."),
        new("allow-addoncreate", "Package", "Create packages with addon domains."),
        new("allow-parkedcreate", "Package", "Create packages with parked domains."),
        new("add-pkg-ip", "Package", "Create packages with a dedicated IP address."),
        new("add-pkg-shell", "Package", "Create packages with shell access."),
        new("allow-unlimited-pkgs", "Package", "Create packages with unlimited features."),
        new("allow-emaillimits-pkgs", "Package", "Create packages with email limits."),
        new("allow-unlimited-disk-pkgs", "Package", "Create packages with unlimited disk space."),
        new("allow-unlimited-bw-pkgs", "Package", "Create packages with unlimited bandwidth."),

        // Global privileges
        new("status", "Global", "View service status."),
        new("stats", "Global", "View server information and statistics."),
        new("restart", "Global", "Restart services."),
        new("resftp", "Global", "Synchronize FTP passwords."),

        // Super privileges
        new("edit-account", "Super", "Modify accounts, including renaming them."),
        new("limit-bandwidth", "Super", "Limit bandwidth usage."),
        new("quota", "Super", "Change disk quotas."),
        new("demo-setup", "Super", "Manage demo mode."),
        new("rearrange-accts", "Super", "Rearrange accounts across partitions."),
        new("clustering", "Super", "Manage DNS and configuration clusters."),
        new("locale-edit", "Super", "Edit locales."),

        // Root access
        Root,
    ];

    /// <summary>WHM's initial reseller privileges (the <c>Basic</c> group).</summary>
    public static IReadOnlyList<string> InitialResellerPrivileges { get; } =
        Catalogue.Where(p => p.Group == BasicGroup).Select(p => p.Name).ToArray();
}
