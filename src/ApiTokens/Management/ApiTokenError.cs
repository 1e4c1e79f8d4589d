namespace ApiTokens;

/// <summary>A refused token operation: a code for programs and a message for people.</summary>
/// <param name="Code">What went wrong.</param>
/// <param name="Message">A user-facing sentence that says what to do next (WHM's wording where WHM has one).</param>
/// <param name="Field">The input it concerns (<c>name</c>, <c>acls</c>, <c>expires_at</c>, <c>whitelist_ips</c>), if any.</param>
public sealed record ApiTokenError(ApiTokenErrorCode Code, string Message, string? Field = null);
