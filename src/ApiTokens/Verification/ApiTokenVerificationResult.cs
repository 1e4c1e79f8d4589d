namespace ApiTokens;

/// <summary>The outcome of verifying a presented token.</summary>
internal readonly struct ApiTokenVerificationResult
{
    private ApiTokenVerificationResult(VerifiedToken? token, ApiTokenFailureReason reason, string? tokenName)
    {
        Token = token;
        FailureReason = reason;
        TokenName = tokenName;
    }

    /// <summary>The verified token, when the secret was proven (it may still be refused for expiry, suspension or IP).</summary>
    public VerifiedToken? Token { get; }

    /// <summary>Why it was refused, or <see cref="ApiTokenFailureReason.None"/>.</summary>
    public ApiTokenFailureReason FailureReason { get; }

    /// <summary>The token's name when the selector matched a token (for logs), else <see langword="null"/>.</summary>
    public string? TokenName { get; }

    /// <summary>Whether the request may proceed.</summary>
    public bool Succeeded => FailureReason == ApiTokenFailureReason.None;

    internal static ApiTokenVerificationResult Success(VerifiedToken token) => new(token, ApiTokenFailureReason.None, token.Token.Name);

    internal static ApiTokenVerificationResult Fail(ApiTokenFailureReason reason, string? tokenName = null, VerifiedToken? token = null) =>
        new(token, reason, tokenName);
}
