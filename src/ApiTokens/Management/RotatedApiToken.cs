namespace ApiTokens;

/// <summary>A rotated token: the stored record with its new value, the new plaintext (never available again) and when the old value stops.</summary>
/// <param name="Token">The stored record: same id, name, privileges, expiry and whitelist; a new selector and hash.</param>
/// <param name="PlaintextToken">The new token to give the user. Shown once.</param>
/// <param name="PreviousTokenExpiresAt">When the old value stops authenticating: the rotation time plus the grace period (the
/// rotation time itself for no grace period).</param>
public sealed record RotatedApiToken(ApiToken Token, string PlaintextToken, DateTimeOffset PreviousTokenExpiresAt)
{
    // Printing the result (a log line, a failed assertion) must not reveal the token.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Token = ").Append(Token).Append(", PlaintextToken = ***, PreviousTokenExpiresAt = ")
            .Append(PreviousTokenExpiresAt.ToUnixTimeSeconds());
        return true;
    }
}
