namespace ApiTokens;

/// <summary>The exit codes of the <c>tokens</c> command line, which scripts test (listed in every command's help).</summary>
internal static class CommandExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Done = 0;

    /// <summary>Refused: a token rule, an unknown account or token, the store unavailable. The reason is on standard error.</summary>
    public const int Refused = 1;

    /// <summary>The command line itself is wrong (unknown command or option, a missing or malformed value).</summary>
    public const int UsageError = 2;
}
