namespace ApiTokens;

/// <summary>The outcome of checking a secret against a stored hash (as Identity's <c>PasswordVerificationResult</c>).</summary>
public enum HashVerificationResult
{
    /// <summary>The secret does not match, or the hash is malformed.</summary>
    Failed,

    /// <summary>The secret matches.</summary>
    Success,

    /// <summary>The secret matches, and the hash was made with weaker parameters than those configured now: store a new one.</summary>
    SuccessRehashNeeded,
}
