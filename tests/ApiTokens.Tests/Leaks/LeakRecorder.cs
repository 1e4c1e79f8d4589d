using System.Collections.Concurrent;

namespace ApiTokens.Tests.Leaks;

/// <summary>What the test host's audit sink and leak handler were told.</summary>
internal sealed class LeakRecorder
{
    private readonly ConcurrentQueue<ApiTokenAuditEvent> _audit = new();
    private readonly ConcurrentQueue<ApiTokenLeak> _leaks = new();

    public IReadOnlyList<ApiTokenAuditEvent> Audit => [.. _audit];

    public IReadOnlyList<ApiTokenLeak> Leaks => [.. _leaks];

    public IReadOnlyList<ApiTokenAuditEvent> LeakEvents => [.. _audit.Where(e => e.Action == ApiTokenAuditAction.RevokedAsLeaked)];

    public void Add(ApiTokenAuditEvent auditEvent) => _audit.Enqueue(auditEvent);

    public void Add(ApiTokenLeak leak) => _leaks.Enqueue(leak);
}

/// <summary>An audit sink that records into the host's <see cref="LeakRecorder"/>.</summary>
internal sealed class RecordingAuditSink(LeakRecorder recorder) : IApiTokenAuditSink
{
    public ValueTask WriteAsync(ApiTokenAuditEvent auditEvent, CancellationToken cancellationToken)
    {
        recorder.Add(auditEvent);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A leak handler that records into the host's <see cref="LeakRecorder"/>.</summary>
internal sealed class RecordingLeakHandler(LeakRecorder recorder) : IApiTokenLeakHandler
{
    public ValueTask OnTokenLeakedAsync(ApiTokenLeak leak, CancellationToken cancellationToken)
    {
        recorder.Add(leak);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A leak handler that always fails: the revocation and the other handlers must not mind.</summary>
internal sealed class ThrowingLeakHandler : IApiTokenLeakHandler
{
    public ValueTask OnTokenLeakedAsync(ApiTokenLeak leak, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("Simulated: the mail server refused the message.");
}
