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

    /// <summary>
    /// Why this request's whm credential did not authenticate, or <see cref="ApiTokenFailureReason.None"/> when it had none. For
    /// <see cref="ApiTokenFailureReason.Busy"/> and <see cref="ApiTokenFailureReason.StoreUnavailable"/> the default answer is
    /// <c>503</c>, for <see cref="ApiTokenFailureReason.ClientBlocked"/> <c>429</c> (both with <c>Retry-After</c> and an
    /// <c>application/problem+json</c> body); for every other reason the 401.
    /// </summary>
    public ApiTokenFailureReason FailureReason { get; internal init; }

    /// <summary>For an answer that is not a refusal (503 or 429): when the client should try again; otherwise <see langword="null"/>.</summary>
    public TimeSpan? RetryAfter { get; internal init; }

    /// <summary>Whether the event wrote its own response; the handler then does nothing.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skip the default response (the 401, or the 503 or 429 of a credential that could not be checked).</summary>
    public void HandleResponse() => Handled = true;
}
