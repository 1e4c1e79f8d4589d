namespace ApiTokens;

/// <summary>What <see cref="HashGate.VerifyAsync"/> found.</summary>
internal enum GateVerdict
{
    /// <summary>No hash ran: too many recent failures for the selector, or no slot in time.</summary>
    Throttled,

    /// <summary>The secret does not match (recorded as a failure).</summary>
    Failed,

    /// <summary>The secret matches.</summary>
    Success,

    /// <summary>The secret matches and the stored hash should be upgraded.</summary>
    SuccessRehashNeeded,
}
