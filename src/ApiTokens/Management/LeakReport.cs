namespace ApiTokens;

/// <summary>
/// What one leak report did, for the log only (the reporter never learns it). <see cref="Unchecked"/> counts candidate tokens the
/// hash gate could not check (no slot in time, or too many wrong values reported for that selector within the failure window).
/// </summary>
internal readonly record struct LeakReport(int Distinct, int LookedUp, int Revoked, int PreviousEnded, int Unchecked);
