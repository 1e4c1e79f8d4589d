namespace ApiTokens;

/// <summary>A freshly generated token and its parts.</summary>
/// <param name="Value">The whole token as the user presents it.</param>
/// <param name="Selector">The public selector stored in the clear.</param>
/// <param name="Secret">The secret part that is hashed.</param>
internal readonly record struct GeneratedToken(string Value, string Selector, string Secret)
{
    // Printing it must not reveal the secret.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Selector = ").Append(Selector).Append(", Value = ***, Secret = ***");
        return true;
    }
}
