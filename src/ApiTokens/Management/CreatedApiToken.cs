
namespace ApiTokens;

/// <summary>A new token: the stored record and the plaintext, which is never available again.</summary>
/// <param name="Token">The stored record.</param>
/// <param name="PlaintextToken">The token to give the user. Shown once.</param>
public sealed record CreatedApiToken(ApiToken Token, string PlaintextToken)
{
    // Printing the result (a log line, a failed assertion) must not reveal the token.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Token = ").Append(Token).Append(", PlaintextToken = ***");
        return true;
    }
}
