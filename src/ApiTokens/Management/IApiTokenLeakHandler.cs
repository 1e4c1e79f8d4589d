namespace ApiTokens;

/// <summary>
/// Told whenever a reported leak (<c>MapLeakedTokenRevocation</c>) revoked a token or ended a rotated token's previous value, on
/// the node that handled the report, after the change is stored and announced to every node and the audit event written: so a
/// host can mail the token's owner or open a ticket. Register any number with <c>AddLeakHandler&lt;T&gt;()</c> (scoped: one
/// instance per report). Exceptions are logged and swallowed: the token stays revoked.
/// </summary>
public interface IApiTokenLeakHandler
{
    /// <summary>Handles one revoked token (or ended previous value).</summary>
    /// <param name="leak">What was revoked, whose it was and who reported it. Never holds the reported value; do not log the token's hash.</param>
    /// <param name="cancellationToken">Cancelled when the app stops.</param>
    ValueTask OnTokenLeakedAsync(ApiTokenLeak leak, CancellationToken cancellationToken);
}
