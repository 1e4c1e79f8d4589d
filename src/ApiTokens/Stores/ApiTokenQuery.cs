namespace ApiTokens;

/// <summary>A filter and page for listing tokens.</summary>
public sealed record ApiTokenQuery
{
    /// <summary>The largest page a store returns.</summary>
    public const int MaxTake = 1000;

    /// <summary>Only names containing this text, ignoring case (ASCII). <see langword="null"/> for all.</summary>
    public string? NameContains { get; init; }

    /// <summary>How many matching tokens to skip.</summary>
    public int Skip { get; init; }

    /// <summary>How many to return at most (1 to <see cref="MaxTake"/>).</summary>
    public int Take { get; init; } = 100;

    /// <summary>The whole list, up to <see cref="MaxTake"/>.</summary>
    public static ApiTokenQuery All { get; } = new() { Take = MaxTake };
}
