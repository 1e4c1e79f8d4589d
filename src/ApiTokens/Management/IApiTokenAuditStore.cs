namespace ApiTokens;

/// <summary>
/// Keeps audit events so they can be read back: who did what to which token of an account, when and from where. Optional: register
/// one (<c>AddInMemoryAuditStore()</c>, or <c>AddEntityFrameworkAuditStore&lt;TContext&gt;()</c> for the table <c>api_token_audit</c>)
/// and every event the manager raises is appended to it, next to the <see cref="IApiTokenAuditSink"/>s; read it with
/// <c>ApiTokenManager.QueryAuditAsync</c>, the page's History or <c>tokens audit</c>. An event never holds a secret.
/// </summary>
public interface IApiTokenAuditStore
{
    /// <summary>Appends one event. A failure is logged and never undoes the change the event records.</summary>
    Task AppendAsync(ApiTokenAuditEvent auditEvent, CancellationToken cancellationToken);

    /// <summary>
    /// The events that match <paramref name="query"/>, newest first (events of the same time in the reverse order they were
    /// appended), paged, with how many match in all.
    /// </summary>
    Task<ApiTokenAuditPage> QueryAsync(ApiTokenAuditQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes every event older than <paramref name="cutoff"/> (retention, <c>ApiTokens:Audit:Retention</c>). Returns how many.</summary>
    Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
