namespace ApiTokens;

/// <summary>
/// Rotation (configuration section <c>ApiTokens:Rotation</c>): <c>ApiTokenManager.RotateAsync</c>, WHM-style
/// <c>api_token_rotate</c>, the page's "Regenerate" and <c>tokens rotate</c> give a token a new value and may let the old one keep
/// working for a grace period.
/// </summary>
public sealed class ApiTokenRotationOptions
{
    /// <summary>The longest <see cref="MaxGracePeriod"/> that may be configured: 365 days.</summary>
    internal static readonly TimeSpan Ceiling = TimeSpan.FromDays(365);

    /// <summary>
    /// The longest grace period a rotation may give the old value (<c>ApiTokens:Rotation:MaxGracePeriod</c>, a
    /// <see cref="TimeSpan"/> from 0 to 365 days). Default 7 days; 0 means the old value always stops at once. A rotation that asks
    /// for more is refused with a message that names the limit.
    /// </summary>
    public TimeSpan MaxGracePeriod { get; set; } = TimeSpan.FromDays(7);

    internal IEnumerable<string> Validate()
    {
        if (MaxGracePeriod < TimeSpan.Zero || MaxGracePeriod > Ceiling)
        {
            yield return Messages.InvalidMaxGracePeriod;
        }
    }
}
