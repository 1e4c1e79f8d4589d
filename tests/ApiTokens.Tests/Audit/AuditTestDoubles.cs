namespace ApiTokens.Tests.Audit;

/// <summary>An audit store that fails every call as an unreachable database would, while <see cref="Down"/> (shared by every instance of a host).</summary>
internal sealed class FailingAuditStore(AuditStoreSwitch state, InMemoryApiTokenAuditStore inner) : IApiTokenAuditStore
{
    public Task AppendAsync(ApiTokenAuditEvent auditEvent, CancellationToken cancellationToken) =>
        state.Fault is { } fault ? Task.FromException(fault()) : inner.AppendAsync(auditEvent, cancellationToken);

    public Task<ApiTokenAuditPage> QueryAsync(ApiTokenAuditQuery query, CancellationToken cancellationToken) =>
        state.Fault is { } fault ? Task.FromException<ApiTokenAuditPage>(fault()) : inner.QueryAsync(query, cancellationToken);

    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        try
        {
            return state.Fault is { } fault ? throw fault() : await inner.DeleteOlderThanAsync(cutoff, cancellationToken);
        }
        finally
        {
            state.Deleted.Release();
        }
    }
}

/// <summary>What the <see cref="FailingAuditStore"/>s of one host share: the fault to throw (null: none) and a signal per retention round.</summary>
internal sealed class AuditStoreSwitch
{
    public Func<Exception>? Fault { get; set; }

    public SemaphoreSlim Deleted { get; } = new(0);

    public async Task WaitForDeleteAsync() => Assert.True(await Deleted.WaitAsync(TimeSpan.FromSeconds(30)), "no retention round within 30 s");
}
