using System.Globalization;

namespace ApiTokens;

/// <summary>The sentences of the token lifetime policy (<c>ApiTokens:Policy</c>).</summary>
internal static partial class Messages
{
    public const string InvalidMaxCreatesPerMinute =
        "ApiTokens:Policy:MaxCreatesPerAccountPerMinute must be between 0 (no limit) and 100000.";

    public static string TooManyCreates(int perMinute) => Format(
        $"This account has asked for {perMinute} new API token values in the last minute, the most this server allows. Nothing was stored; try again in a minute.");

    public const string InvalidMaxLifetime =
        "ApiTokens:Policy:MaxLifetime must be between 1 hour (01:00:00) and 10 years (3650.00:00:00), or left out for no limit.";

    public static string ExpiryBeyondMaxLifetime(TimeSpan maxLifetime, DateTimeOffset latest) => Format(
        $"API tokens on this server must expire within {Duration(maxLifetime)}. Choose an expiration time on or before {Moment(latest)}, or none to get that time.");

    public static string NeverExpiringRefused(TimeSpan maxLifetime, DateTimeOffset latest) => Format(
        $"API tokens on this server must expire within {Duration(maxLifetime)}, so a token cannot be set to never expire. Choose an expiration time on or before {Moment(latest)}.");

    /// <summary>A lifetime in the largest whole unit that states it exactly: “30 days”, “12 hours”, “90 minutes”.</summary>
    internal static string Duration(TimeSpan value)
    {
        static string Count(double n, string unit) =>
            string.Create(CultureInfo.InvariantCulture, $"{n:0.###} {unit}{(n == 1 ? string.Empty : "s")}");

        if (value.Ticks % TimeSpan.TicksPerDay == 0)
        {
            return Count(value.TotalDays, "day");
        }

        if (value.Ticks % TimeSpan.TicksPerHour == 0)
        {
            return Count(value.TotalHours, "hour");
        }

        return value.Ticks % TimeSpan.TicksPerMinute == 0 ? Count(value.TotalMinutes, "minute") : Count(Math.Floor(value.TotalSeconds), "second");
    }

    /// <summary>A moment as a person and a script both read it: <c>2026-02-14 10:30:00 UTC (Unix time 1771065000)</c>.</summary>
    private static string Moment(DateTimeOffset value) =>
        Format($"{value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC (Unix time {value.ToUnixTimeSeconds()})");
}
