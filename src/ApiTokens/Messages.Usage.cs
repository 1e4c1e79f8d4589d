namespace ApiTokens;

/// <summary>The sentences of last-used tracking (<c>ApiTokens:Usage</c>).</summary>
internal static partial class Messages
{
    public const string InvalidUsageWriteInterval =
        "ApiTokens:Usage:WriteInterval must be between 00:00:01 and 1.00:00:00 (set ApiTokens:Usage:Enabled=false to turn last-used tracking off).";

    /// <summary>What <c>tokens list</c> shows for a token that was never used (the page says "Never", as its Expires column does).</summary>
    public const string NeverUsed = "never";
}
