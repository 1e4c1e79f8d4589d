namespace ApiTokens;

/// <summary>Which stored audit events to read (<see cref="IApiTokenAuditStore.QueryAsync"/>), newest first.</summary>
public sealed record ApiTokenAuditQuery
{
    /// <summary>The most events one page may hold.</summary>
    public const int MaxTake = 500;

    /// <summary>Only this account's events (by account id); <see langword="null"/> for every account (operators only).</summary>
    public string? AccountId { get; init; }

    /// <summary>Only events at or after this time; <see langword="null"/> for no lower bound.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only events before this time; <see langword="null"/> for no upper bound.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>How many matching events to skip (paging).</summary>
    public int Skip { get; init; }

    /// <summary>How many to return, at most <see cref="MaxTake"/>. Default 50.</summary>
    public int Take { get; init; } = 50;
}
