namespace ApiTokens;

public sealed partial class ApiTokenOptions
{
    /// <summary>
    /// Rules every new token must follow (<c>ApiTokens:Policy</c>), such as a maximum lifetime. Empty by default: WHM's rules, with
    /// no limit on how long a token lives.
    /// </summary>
    public ApiTokenPolicyOptions Policy { get; set; } = new();
}
