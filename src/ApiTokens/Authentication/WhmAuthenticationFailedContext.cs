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

    /// <summary>Why (server side only: the client always sees the same 401).</summary>
    public ApiTokenFailureReason Reason { get; }

    /// <summary>The presented user name, when the header was well formed.</summary>
    public string? UserName { get; }

    /// <summary>The token's name, when the selector matched a token.</summary>
    public string? TokenName { get; }
}
