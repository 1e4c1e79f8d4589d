namespace ApiTokens.Authentication;

/// <summary>
/// Hooks into the <c>whm</c> handler, in the ASP.NET Core pattern: set the delegates, or derive and
/// override the virtual methods.
/// </summary>
public class WhmTokenEvents
{
    private static readonly Func<WhmMessageReceivedContext, Task> NoMessageReceived = _ => Task.CompletedTask;
    private static readonly Func<WhmTokenValidatedContext, Task> NoTokenValidated = _ => Task.CompletedTask;

    /// <summary>Called first; may supply the credential from elsewhere or end the request.</summary>
    public Func<WhmMessageReceivedContext, Task> OnMessageReceived { get; set; } = NoMessageReceived;

    /// <summary>Called after the token is proven and the principal built; may add claims or reject.</summary>
    public Func<WhmTokenValidatedContext, Task> OnTokenValidated { get; set; } = NoTokenValidated;

    /// <summary>Called when authentication fails, with the server-side reason.</summary>
    public Func<WhmAuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called before the 401 is sent; call <c>HandleResponse()</c> to write your own.</summary>
    public Func<WhmChallengeContext, Task> OnChallenge { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called before the 403 is sent.</summary>
    public Func<WhmForbiddenContext, Task> OnForbidden { get; set; } = _ => Task.CompletedTask;

    // The two per-request events cost two allocations each on the hot path; skip them when nobody listens.
    internal bool ListensToMessageReceived => GetType() != typeof(WhmTokenEvents) || !ReferenceEquals(OnMessageReceived, NoMessageReceived);

    internal bool ListensToTokenValidated => GetType() != typeof(WhmTokenEvents) || !ReferenceEquals(OnTokenValidated, NoTokenValidated);

    /// <summary>Invokes <see cref="OnMessageReceived"/>.</summary>
    public virtual Task MessageReceivedAsync(WhmMessageReceivedContext context) => OnMessageReceived(context);

    /// <summary>Invokes <see cref="OnTokenValidated"/>.</summary>
    public virtual Task TokenValidatedAsync(WhmTokenValidatedContext context) => OnTokenValidated(context);

    /// <summary>Invokes <see cref="OnAuthenticationFailed"/>.</summary>
    public virtual Task AuthenticationFailedAsync(WhmAuthenticationFailedContext context) => OnAuthenticationFailed(context);

    /// <summary>Invokes <see cref="OnChallenge"/>.</summary>
    public virtual Task ChallengeAsync(WhmChallengeContext context) => OnChallenge(context);

    /// <summary>Invokes <see cref="OnForbidden"/>.</summary>
    public virtual Task ForbiddenAsync(WhmForbiddenContext context) => OnForbidden(context);
}
