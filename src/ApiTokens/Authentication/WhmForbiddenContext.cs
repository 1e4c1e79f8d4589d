using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Authentication;

/// <summary>Context for <see cref="WhmTokenEvents.OnForbidden"/>.</summary>
public sealed class WhmForbiddenContext : ResultContext<WhmTokenOptions>
{
    /// <summary>Creates the context.</summary>
    public WhmForbiddenContext(HttpContext context, AuthenticationScheme scheme, WhmTokenOptions options)
        : base(context, scheme, options)
    {
    }
}
