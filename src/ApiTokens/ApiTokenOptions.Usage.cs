namespace ApiTokens;

public sealed partial class ApiTokenOptions
{
    /// <summary>
    /// When and from where each token was last used (<c>ApiTokens:Usage</c>): noted in memory on every authenticated request and
    /// written in the background at most once per token per <see cref="ApiTokenUsageOptions.WriteInterval"/>.
    /// </summary>
    public ApiTokenUsageOptions Usage { get; set; } = new();
}
