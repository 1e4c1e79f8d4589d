namespace ApiTokens;

/// <summary>The outcome of verifying a presented token.</summary>
internal readonly struct ApiTokenVerificationResult
{
    private ApiTokenVerificationResult(VerifiedToken? token, ApiTokenFailureReason reason, string? tokenName, int retryAfterSeconds = 0)
    {
        Token = token;
        FailureReason = reason;
        TokenName = tokenName;
        RetryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>The verified token, when the secret was proven (it may still be refused for expiry, suspension or IP).</summary>
    public VerifiedToken? Token { get; }

    /// <summary>Why it was refused, or <see cref="ApiTokenFailureReason.None"/>.</summary>
    public ApiTokenFailureReason FailureReason { get; }

    /// <summary>The token's name when the selector matched a token (for logs), else <see langword="null"/>.</summary>
    public string? TokenName { get; }

    /// <summary>
    /// For a result that is not a refusal (<see cref="IsUnavailable"/>): when to try again, in whole seconds (at least 1); else 0.
    /// </summary>
    public int RetryAfterSeconds { get; }

    /// <summary>Whether the request may proceed.</summary>
    public bool Succeeded => FailureReason == ApiTokenFailureReason.None;

    /// <summary>Whether nothing was proven either way: a busy node, an unreachable store or a blocked client (503 or 429, not a refusal).</summary>
    public bool IsUnavailable => IsUnavailableReason(FailureReason);

    internal static bool IsUnavailableReason(ApiTokenFailureReason reason) =>
        reason is ApiTokenFailureReason.Busy or ApiTokenFailureReason.StoreUnavailable or ApiTokenFailureReason.ClientBlocked;

    internal static ApiTokenVerificationResult Success(VerifiedToken token) => new(token, ApiTokenFailureReason.None, token.Token.Name);

    internal static ApiTokenVerificationResult Fail(ApiTokenFailureReason reason, string? tokenName = null, VerifiedToken? token = null) =>
        new(token, reason, tokenName);

    /// <summary>A result that is not a refusal: <paramref name="reason"/> is Busy, StoreUnavailable or ClientBlocked.</summary>
    internal static ApiTokenVerificationResult Unavailable(ApiTokenFailureReason reason, int retryAfterSeconds, string? tokenName = null) =>
        new(null, reason, tokenName, Math.Max(1, retryAfterSeconds));
}
