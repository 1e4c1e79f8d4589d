namespace ApiTokens;

/// <summary>
/// Last-used tracking (configuration section <c>ApiTokens:Usage</c>). Each request a token authenticates notes the time and the
/// remote address in memory (no store access on the request path); a background writer stores the latest of each token every
/// <see cref="WriteInterval"/>, in batches, so the store sees at most one write per token per interval. A request never waits
/// for it or fails because of it: while the store is unreachable the notes are kept and retried, and the fault is logged once.
/// What is still unwritten when the app stops is written on the way out (for a few seconds at most); a crash loses at most one
/// interval. Shown as <c>last_used</c> and <c>last_used_ip</c> by <c>api_token_list</c> and <c>api_token_get_details</c>, on the
/// page and by <c>tokens list</c>.
/// </summary>
public sealed class ApiTokenUsageOptions
{
    internal static readonly TimeSpan MinWriteInterval = TimeSpan.FromSeconds(1);

    internal static readonly TimeSpan MaxWriteInterval = TimeSpan.FromDays(1);

    /// <summary>
    /// Whether last use is tracked (<c>ApiTokens:Usage:Enabled</c>). When off nothing is noted or written, and every token
    /// shows <c>last_used: null</c> unless an earlier run recorded one. Default on.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How often the noted uses are written to the store (<c>ApiTokens:Usage:WriteInterval</c>), and so how far
    /// <c>last_used</c> may lag. From 1 second to 1 day. Default 1 minute.
    /// </summary>
    public TimeSpan WriteInterval { get; set; } = TimeSpan.FromMinutes(1);

    internal IEnumerable<string> Validate()
    {
        if (WriteInterval < MinWriteInterval || WriteInterval > MaxWriteInterval)
        {
            yield return Messages.InvalidUsageWriteInterval;
        }
    }
}
