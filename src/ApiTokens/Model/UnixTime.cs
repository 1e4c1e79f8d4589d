using System.Globalization;

namespace ApiTokens;

/// <summary>Token times are Unix seconds (WHM's <c>create_time</c>, <c>expires_at</c>): parsed, truncated and read here only.</summary>
internal static class UnixTime
{
    /// <summary>9999-12-31T23:59:59Z, the last second a <see cref="DateTimeOffset"/> holds.</summary>
    public const long MaxSeconds = 253_402_300_799;

    /// <summary>Now, in whole seconds.</summary>
    public static DateTimeOffset Now(TimeProvider time) => DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());

    /// <summary>Drops the fraction of a second, as the stores keep whole seconds.</summary>
    public static DateTimeOffset? Truncate(DateTimeOffset? value) =>
        value is { } v ? DateTimeOffset.FromUnixTimeSeconds(v.ToUnixTimeSeconds()) : null;

    /// <summary>An expiry given as seconds: none or 0 means never (<paramref name="value"/> null); otherwise 1 to <see cref="MaxSeconds"/>.</summary>
    public static bool TryFromSeconds(long? seconds, out DateTimeOffset? value)
    {
        value = null;
        if (seconds is null or 0)
        {
            return true;
        }

        if (seconds is < 0 or > MaxSeconds)
        {
            return false;
        }

        value = DateTimeOffset.FromUnixTimeSeconds(seconds.Value);
        return true;
    }

    /// <summary>
    /// An expiry given as text (a query or form parameter): empty or exactly <c>0</c> means never; otherwise decimal digits only,
    /// read as given (so <c>00</c> is 1970 and the manager refuses it as not in the future, as WHM does).
    /// </summary>
    public static bool TryParse(string text, out DateTimeOffset? value)
    {
        value = null;
        var trimmed = text.AsSpan().Trim();
        if (trimmed.IsEmpty || trimmed is "0")
        {
            return true;
        }

        if (!long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > MaxSeconds)
        {
            return false;
        }

        value = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
