namespace WhmAdmin;

/// <summary>The accounts created on first start (configuration section <c>WhmAdmin:Seed</c>).</summary>
internal sealed class SeedOptions
{
    public string RootUser { get; set; } = "root";

    public string ResellerUser { get; set; } = "reseller";

    /// <summary>Standard privileges the reseller gets on top of WHM's Basic set.</summary>
    public IList<string> ResellerPrivileges { get; } = [];
}
