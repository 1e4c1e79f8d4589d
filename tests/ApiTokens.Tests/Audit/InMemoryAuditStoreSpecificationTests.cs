namespace ApiTokens.Tests.Audit;

/// <summary>The shared audit store specification over <see cref="InMemoryApiTokenAuditStore"/> (every "new" store shares the one instance's data).</summary>
public sealed class InMemoryAuditStoreSpecificationTests : ApiTokenAuditStoreSpecificationTests
{
    private readonly InMemoryApiTokenAuditStore _store = new();

    protected override IApiTokenAuditStore CreateStore() => _store;
}
