namespace ApiTokens;

public sealed partial class ApiTokenOptions
{
    /// <summary>Rotation of a token's value with a grace period (<c>ApiTokens:Rotation</c>).</summary>
    public ApiTokenRotationOptions Rotation { get; set; } = new();
}
