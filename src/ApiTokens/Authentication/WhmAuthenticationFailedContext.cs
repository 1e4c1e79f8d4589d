using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Authentication;

/// <summary>Context for <see cref="WhmTokenEvents.OnAuthenticationFailed"/>.</summary>
public sealed class WhmAuthenticationFailedContext : ResultContext<WhmTokenOptions>
{
    /// <summary>Creates the context.</summary>
    public WhmAuthenticationFailedContext(
        HttpContext context, AuthenticationScheme scheme, WhmTokenOptions options, ApiTokenFailureReason reason, string? userName, string? tokenName)
        : base(context, scheme, options)
    {
        Reason = reason;
        UserName = userName;
        TokenName = tokenName;
    }

    /// <summary>
    /// Why. Every credential refusal looks the same to the client (401, or WHM's 403 on WHM routes); only
    /// <see cref="ApiTokenFailureReason.Busy"/>, <see cref="ApiTokenFailureReason.StoreUnavailable"/> (503) and
    /// <see cref="ApiTokenFailureReason.ClientBlocked"/> (429), which say nothing about the credential, are answered differently.
    /// </summary>
    public ApiTokenFailureReason Reason { get; }

    /// <summary>For a reason that is not a refusal (503 or 429): when the client should try again; otherwise <see langword="null"/>.</summary>
    public TimeSpan? RetryAfter { get; internal init; }

    /// <summary>The presented user name, when the header was well formed.</summary>
    public string? UserName { get; }

    /// <summary>The token's name, when the selector matched a token.</summary>
    public string? TokenName { get; }
}
