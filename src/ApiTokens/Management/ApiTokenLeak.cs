namespace ApiTokens;

/// <summary>A token revoked because its value was reported as leaked, as <see cref="IApiTokenLeakHandler"/> is told of it.</summary>
/// <param name="Token">
/// The token as it was stored when the report came in. When <paramref name="PreviousValueOnly"/> is <see langword="false"/> it is
/// deleted now; otherwise it is kept with its current value, and the previous value it had (<see cref="ApiToken.PreviousSelector"/>)
/// stopped working at <paramref name="Time"/>.
/// </param>
/// <param name="Owner">The owning account, or <see langword="null"/> if the account provider no longer knows it.</param>
/// <param name="PreviousValueOnly">
/// Whether the reported value was the previous value of a rotated token still in its grace period: the grace period was ended and
/// the token kept (its current value was not reported).
/// </param>
/// <param name="ReporterAddress">The address the report came from, as the server saw it, or <see langword="null"/>.</param>
/// <param name="Time">When it was revoked (UTC).</param>
public sealed record ApiTokenLeak(ApiToken Token, ApiTokenAccount? Owner, bool PreviousValueOnly, string? ReporterAddress, DateTimeOffset Time);
