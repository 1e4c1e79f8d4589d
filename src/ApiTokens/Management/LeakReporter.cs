namespace ApiTokens;

/// <summary>Who sent a leak report, as <see cref="ApiTokenManager"/> uses it.</summary>
/// <param name="Actor">The actor of the audit events (the reporter's address only if the host chose to record it).</param>
/// <param name="Address">The reporter's address as the server saw it, for the leak handlers; <see langword="null"/> if unknown.</param>
/// <param name="Partition">The reporter's address partition (an IPv4 address, an IPv6 /64): its own failure windows and budget.</param>
/// <param name="Budget">The endpoint's budget of Argon2 checks, or <see langword="null"/> for none.</param>
internal sealed record LeakReporter(ApiTokenActor Actor, string? Address, string Partition, LeakCheckBudget? Budget);
