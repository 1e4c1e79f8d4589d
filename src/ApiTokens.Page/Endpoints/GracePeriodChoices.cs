namespace ApiTokens.Page;

/// <summary>
/// The grace periods the page's "Regenerate" offers for the old value: "Stop at once" (the default), then 1 hour, 1 day and 7
/// days, each only when <c>ApiTokens:Rotation:MaxGracePeriod</c> allows it. Scripts may send any number of seconds up to that limit.
/// </summary>
internal static class GracePeriodChoices
{
    private static readonly GracePeriodView[] All =
    [
        new(0, PageMessages.GraceStopAtOnce),
        new((long)TimeSpan.FromHours(1).TotalSeconds, PageMessages.GraceOneHour),
        new((long)TimeSpan.FromDays(1).TotalSeconds, PageMessages.GraceOneDay),
        new((long)TimeSpan.FromDays(7).TotalSeconds, PageMessages.GraceSevenDays),
    ];

    /// <summary>The choices within <paramref name="maxGracePeriod"/>, shortest first; "Stop at once" is always one.</summary>
    public static IReadOnlyList<GracePeriodView> Within(TimeSpan maxGracePeriod) =>
        All.Where(c => c.Seconds <= maxGracePeriod.TotalSeconds).ToArray();
}
