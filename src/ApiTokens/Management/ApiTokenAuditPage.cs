namespace ApiTokens;

/// <summary>One page of stored audit events, newest first.</summary>
/// <param name="Events">The events of this page.</param>
/// <param name="TotalCount">How many events match the query in all.</param>
public sealed record ApiTokenAuditPage(IReadOnlyList<ApiTokenAuditEvent> Events, int TotalCount);
