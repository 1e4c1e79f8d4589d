namespace ApiTokens;

public sealed partial class ApiTokenOptions
{
    /// <summary>
    /// Failed-authentication limits per client address (<c>ApiTokens:ClientLimits</c>): after too many refused credentials from one
    /// address it gets 429 with <c>Retry-After</c> for a while, with no store read and no Argon2. On by default.
    /// </summary>
    public ApiTokenClientLimitsOptions ClientLimits { get; set; } = new();
}
