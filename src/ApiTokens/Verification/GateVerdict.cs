namespace ApiTokens;

/// <summary>What <see cref="HashGate.VerifyAsync"/> found.</summary>
internal enum GateVerdict
{
    /// <summary>No hash ran: too many recent wrong secrets for the selector (a refusal, like a wrong secret).</summary>
    Throttled,

    /// <summary>The secret does not match (recorded as a failure).</summary>
    Failed,

    /// <summary>The secret matches.</summary>
    Success,

    /// <summary>The secret matches and the stored hash should be upgraded.</summary>
    SuccessRehashNeeded,

    /// <summary>
    /// No hash ran: no Argon2 slot within the queue timeout. Says nothing about the secret: the verifier answers it
    /// <see cref="ApiTokenFailureReason.Busy"/> (503 with <c>Retry-After</c>), never a credential refusal; a caller that counts
    /// unchecked candidates (leak revocation) counts it as it counts <see cref="Throttled"/>.
    /// </summary>
    Busy,
}
