using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Authentication;

/// <summary>Context for <see cref="WhmTokenEvents.OnTokenValidated"/>.</summary>
public sealed class WhmTokenValidatedContext : ResultContext<WhmTokenOptions>
{
    /// <summary>Creates the context.</summary>
    public WhmTokenValidatedContext(HttpContext context, AuthenticationScheme scheme, WhmTokenOptions options, VerifiedToken token)
        : base(context, scheme, options) => Token = token;

    /// <summary>The verified token, its owner and effective privileges.</summary>
    public VerifiedToken Token { get; }
}
