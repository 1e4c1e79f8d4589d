namespace ApiTokens.Authentication;

/// <summary>Parses <c>whm user:token</c> without allocating.</summary>
internal static class WhmAuthorizationHeader
{
    public enum Outcome
    {
        /// <summary>Another scheme: not ours.</summary>
        NotWhm,

        /// <summary>Ours, but unusable.</summary>
        Malformed,

        /// <summary>Parsed.</summary>
        Parsed,
    }

    /// <summary>Splits a whole header value (<c>whm user:token</c>).</summary>
    public static Outcome TryParseHeader(ReadOnlySpan<char> header, int maxLength, int maxUserLength, out Range user, out Range token)
    {
        user = token = default;
        var schemeLength = WhmTokenDefaults.AuthenticationScheme.Length;
        if (!WhmAuthorization.IsWhm(header))
        {
            return Outcome.NotWhm;
        }

        if (header.Length > maxLength)
        {
            return Outcome.Malformed;
        }

        var start = schemeLength;
        while (start < header.Length && header[start] == ' ')
        {
            start++;
        }

        var end = header.Length;
        while (end > start && header[end - 1] == ' ')
        {
            end--;
        }

        var outcome = TryParseCredential(header[start..end], maxUserLength, out var u, out var t);
        if (outcome == Outcome.Parsed)
        {
            user = new Range(u.Start.Value + start, u.End.Value + start);
            token = new Range(t.Start.Value + start, t.End.Value + start);
        }

        return outcome;
    }

    /// <summary>Splits <c>user:token</c> at the first colon and checks both parts.</summary>
    public static Outcome TryParseCredential(ReadOnlySpan<char> credential, int maxUserLength, out Range user, out Range token)
    {
        user = token = default;
        var colon = credential.IndexOf(':');
        if (colon <= 0 || colon == credential.Length - 1 || colon > maxUserLength)
        {
            return Outcome.Malformed;
        }

        // Printable ASCII only, no spaces: anything else cannot be a user name or a token.
        foreach (var c in credential)
        {
            if (c is <= ' ' or > '~')
            {
                return Outcome.Malformed;
            }
        }

        user = new Range(0, colon);
        token = new Range(colon + 1, credential.Length);
        return Outcome.Parsed;
    }
}
