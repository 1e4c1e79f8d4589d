namespace ApiTokens;

/// <summary>Receives audit events. Register any number; each is called after the change is stored.</summary>
public interface IApiTokenAuditSink
{
    /// <summary>Records one event. Exceptions are logged and swallowed: an audit sink never undoes a change.</summary>
    ValueTask WriteAsync(ApiTokenAuditEvent auditEvent, CancellationToken cancellationToken);
}
