
namespace ApiTokens;

/// <summary>One page of tokens.</summary>
/// <param name="Items">The tokens on this page, ordered by name.</param>
/// <param name="TotalCount">How many tokens match the filter in all.</param>
public sealed record ApiTokenPage(IReadOnlyList<ApiToken> Items, int TotalCount);
