using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Authentication;

/// <summary>Context for <see cref="WhmTokenEvents.OnMessageReceived"/>.</summary>
public sealed class WhmMessageReceivedContext : ResultContext<WhmTokenOptions>
{
    /// <summary>Creates the context.</summary>
    public WhmMessageReceivedContext(HttpContext context, AuthenticationScheme scheme, WhmTokenOptions options)
        : base(context, scheme, options)
    {
    }

    /// <summary>
    /// The credential as <c>user:token</c>. Set it to take the credential from somewhere other than the
    /// <c>Authorization</c> header; leave it <see langword="null"/> to read the header.
    /// </summary>
    public string? Credential { get; set; }
}
