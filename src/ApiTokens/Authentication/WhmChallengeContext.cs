using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Authentication;

/// <summary>Context for <see cref="WhmTokenEvents.OnChallenge"/>.</summary>
public sealed class WhmChallengeContext : PropertiesContext<WhmTokenOptions>
{
    /// <summary>Creates the context.</summary>
    public WhmChallengeContext(HttpContext context, AuthenticationScheme scheme, WhmTokenOptions options, AuthenticationProperties? properties)
        : base(context, scheme, options, properties)
    {
    }

    /// <summary>Whether the event wrote its own response; the handler then does nothing.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skip the default 401 response.</summary>
    public void HandleResponse() => Handled = true;
}
