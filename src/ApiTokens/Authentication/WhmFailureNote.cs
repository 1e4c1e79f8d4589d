using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Authentication;

/// <summary>
/// Why the whm credential of this request did not authenticate, noted on the request by <see cref="WhmTokenHandler"/> for whoever
/// answers it: the scheme's challenge, and WHM's route refusals (<c>WhmRouteRefusals</c>). A reason that proves nothing about the
/// credential (<see cref="IsUnavailable"/>: busy, store unavailable, blocked client) is answered <c>503</c> or <c>429</c> with
/// <c>Retry-After</c>, every other one as a refusal.
/// </summary>
internal sealed class WhmFailureNote
{
    private static readonly object Key = new();

    private WhmFailureNote(ApiTokenFailureReason reason, int retryAfterSeconds)
    {
        Reason = reason;
        RetryAfterSeconds = retryAfterSeconds;
    }

    public ApiTokenFailureReason Reason { get; }

    /// <summary>When to try again, in whole seconds, for a result that is not a refusal; else 0.</summary>
    public int RetryAfterSeconds { get; }

    public bool IsUnavailable => ApiTokenVerificationResult.IsUnavailableReason(Reason);

    /// <summary>429 for a blocked client, 503 for a busy node or an unreachable store.</summary>
    public int StatusCode => Reason == ApiTokenFailureReason.ClientBlocked ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable;

    /// <summary>The title of the problem (or the WHM reason's first sentence) for <see cref="IsUnavailable"/>.</summary>
    public string Title => Reason == ApiTokenFailureReason.ClientBlocked ? Messages.ClientBlockedTitle : Messages.AuthenticationUnavailableTitle;

    /// <summary>What the client should do, for <see cref="IsUnavailable"/>.</summary>
    public string Detail => Reason switch
    {
        ApiTokenFailureReason.ClientBlocked => Messages.ClientBlocked,
        ApiTokenFailureReason.StoreUnavailable => Messages.AuthenticationStoreUnavailable,
        _ => Messages.AuthenticationBusy,
    };

    public TimeSpan? RetryAfter => IsUnavailable ? TimeSpan.FromSeconds(RetryAfterSeconds) : null;

    public static WhmFailureNote? Find(HttpContext context) =>
        context.Items.TryGetValue(Key, out var value) ? value as WhmFailureNote : null;

    public static void Set(HttpContext context, ApiTokenFailureReason reason, int retryAfterSeconds) =>
        context.Items[Key] = new WhmFailureNote(reason, retryAfterSeconds);

    /// <summary>The status, <c>Retry-After</c> and <c>Cache-Control: no-store</c> of an answer that is not a refusal.</summary>
    public void ApplyTo(HttpResponse response)
    {
        response.StatusCode = StatusCode;
        response.Headers.RetryAfter = Math.Max(1, RetryAfterSeconds).ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
    }
}
