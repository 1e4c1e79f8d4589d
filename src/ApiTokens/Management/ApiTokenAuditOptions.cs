namespace ApiTokens;

/// <summary>
/// The stored audit trail (configuration section <c>ApiTokens:Audit</c>). It applies only when an audit store is registered
/// (<c>AddInMemoryAuditStore()</c>, or the Entity Framework Core package's audit store).
/// </summary>
public sealed class ApiTokenAuditOptions
{
    internal static readonly TimeSpan MinRetention = TimeSpan.FromHours(1);

    internal static readonly TimeSpan MaxRetention = TimeSpan.FromDays(3650);

    /// <summary>
    /// How long stored audit events are kept (<c>ApiTokens:Audit:Retention</c>, from 1 hour to 10 years). Older events are deleted
    /// in the background about once an hour. Default 365 days; <see langword="null"/> keeps them for ever.
    /// </summary>
    public TimeSpan? Retention { get; set; } = TimeSpan.FromDays(365);

    internal IEnumerable<string> Validate()
    {
        if (Retention is { } r && (r < MinRetention || r > MaxRetention))
        {
            yield return Messages.InvalidAuditRetention;
        }
    }
}
