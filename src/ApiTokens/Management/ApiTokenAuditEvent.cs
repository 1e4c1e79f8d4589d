namespace ApiTokens;

/// <summary>What happened to a token.</summary>
public enum ApiTokenAuditAction
{
    /// <summary>A token was created.</summary>
    Created,

    /// <summary>A token was renamed or its limits changed.</summary>
    Updated,

    /// <summary>A token was revoked.</summary>
    Revoked,

    /// <summary>Every token of an account was revoked.</summary>
    RevokedAll,
}

/// <summary>An audit record: who did what to which token (by name, never its secret), when and from where.</summary>
/// <param name="Action">What happened.</param>
/// <param name="AccountId">The owning account's id.</param>
/// <param name="UserName">The owning account's user name at the time, if known.</param>
/// <param name="TokenName">The token's name (the old name on a rename); <see langword="null"/> for <see cref="ApiTokenAuditAction.RevokedAll"/>.</param>
/// <param name="NewTokenName">The new name on a rename.</param>
/// <param name="Time">When (UTC).</param>
/// <param name="Actor">Who asked for it (user name), when the caller said.</param>
/// <param name="RemoteAddress">From which address, when the caller said.</param>
public sealed record ApiTokenAuditEvent(
    ApiTokenAuditAction Action,
    string AccountId,
    string? UserName,
    string? TokenName,
    string? NewTokenName,
    DateTimeOffset Time,
    string? Actor,
    string? RemoteAddress);

/// <summary>Who performs a token operation, for the audit trail.</summary>
/// <param name="UserName">The acting user.</param>
/// <param name="RemoteAddress">The client address.</param>
public sealed record ApiTokenActor(string? UserName, string? RemoteAddress);

/// <summary>Receives audit events. Register any number; each is called after the change is stored.</summary>
public interface IApiTokenAuditSink
{
    /// <summary>Records one event. Exceptions are logged and swallowed: an audit sink never undoes a change.</summary>
    ValueTask WriteAsync(ApiTokenAuditEvent auditEvent, CancellationToken cancellationToken);
}
