namespace ApiTokens;

/// <summary>Who performs a token operation, for the audit trail.</summary>
/// <param name="UserName">The acting user.</param>
/// <param name="RemoteAddress">The client address.</param>
public sealed record ApiTokenActor(string? UserName, string? RemoteAddress);
